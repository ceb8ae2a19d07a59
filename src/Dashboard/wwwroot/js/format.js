// Number, duration and parameter formatting, matching the server-rendered pages (Pages/Format.cs).

export function number(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value; // "NaN", "Infinity" as the API sends them
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
  const [mantissa, exponent] = value.toPrecision(6).split('e');
  return exponent === undefined ? String(Number(mantissa)) : `${Number(mantissa)}E${exponent}`;
}

export function integer(value) {
  return Number(value).toLocaleString('en-US');
}

export function rate(perSecond) {
  if (perSecond === null || perSecond === undefined) return '–';
  return perSecond < 10 ? perSecond.toFixed(1) : perSecond.toFixed(0);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 1) return '<1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const s = String(total % 60).padStart(2, '0');
  return `${h}:${m}:${s}`;
}

export function parameters(values) {
  if (!values) return '–';
  return Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ');
}
