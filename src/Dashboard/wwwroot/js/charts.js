// The sweep, trial and compare pages' charts (Apache ECharts, served from /lib). Data comes from the /api endpoints.
import * as fmt from './format.js';

const palette = ['#1f5fa8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#334155', '#9333ea'];
const charts = new Map();
const observers = new Map();

async function json(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function chartFor(element) {
  let chart = charts.get(element);
  if (!chart) {
    chart = echarts.init(element, null, { renderer: 'canvas' });
    charts.set(element, chart);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    observers.set(element, observer);
  }
  return chart;
}

function note(element, text) {
  charts.get(element)?.dispose();
  charts.delete(element);
  observers.get(element)?.disconnect();
  observers.delete(element);
  element.replaceChildren();
  const p = document.createElement('p');
  p.className = 'muted';
  p.textContent = text;
  element.append(p);
}

/** Log scale when every value is positive and they span more than two decades. */
function logScale(values) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0 || finite.some((v) => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) > 100;
}

const label = { formatter: (v) => fmt.number(v) };

const base = {
  animation: false,
  color: palette,
  textStyle: { fontFamily: 'system-ui, sans-serif' },
  tooltip: { trigger: 'item', confine: true },
  grid: { left: 70, right: 30, top: 40, bottom: 50 },
};

function history(element, data) {
  if (data.points.length === 0) return note(element, 'No trial has finished yet.');
  const values = data.points.filter((p) => p.value !== null);
  chartFor(element).setOption({
    ...base,
    legend: { top: 0 },
    xAxis: { type: 'value', name: 'trial (finishing order)', nameLocation: 'middle', nameGap: 30, min: 1 },
    yAxis: { type: logScale(values.map((p) => p.value)) ? 'log' : 'value', name: data.metric, scale: true, axisLabel: label },
    series: [
      { name: `${data.metric} of each trial`, type: 'scatter', symbolSize: 5, data: values.map((p) => [p.n, p.value, p.trial]),
        tooltip: { formatter: (p) => `trial #${p.data[2]}: ${fmt.number(p.data[1])}` } },
      { name: `best so far (${data.goal})`, type: 'line', step: 'end', showSymbol: false, data: data.best.map((b) => [b.n, b.value]) },
    ],
  }, true);
}

function ranking(element, rows) {
  if (rows.length === 0) return note(element, 'No completed trials to rank yet.');
  const names = rows.map((r) => r.optimizer);
  chartFor(element).setOption({
    ...base,
    grid: { left: 90, right: 30, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: names },
    yAxis: { type: 'value', scale: true, name: 'mean ± 95% CI', axisLabel: label },
    series: [
      { type: 'custom', name: '95% CI', data: rows.filter((r) => r.ci95HalfWidth !== null).map((r) => [names.indexOf(r.optimizer), r.mean - r.ci95HalfWidth, r.mean + r.ci95HalfWidth]),
        renderItem: (params, api) => {
          const low = api.coord([api.value(0), api.value(1)]);
          const high = api.coord([api.value(0), api.value(2)]);
          const style = { stroke: '#334155', lineWidth: 2 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
            { type: 'line', shape: { x1: low[0] - 6, y1: low[1], x2: low[0] + 6, y2: low[1] }, style },
            { type: 'line', shape: { x1: high[0] - 6, y1: high[1], x2: high[0] + 6, y2: high[1] }, style },
          ] };
        },
        tooltip: { formatter: (p) => `${names[p.data[0]]}: ${fmt.number(p.data[1])} … ${fmt.number(p.data[2])}` } },
      { type: 'scatter', name: 'mean', symbolSize: 10, data: rows.map((r) => [names.indexOf(r.optimizer), r.mean]),
        tooltip: { formatter: (p) => `${names[p.data[0]]}: mean ${fmt.number(p.data[1])}` } },
    ],
  }, true);
}

function axisOf(axis, values, index) {
  if (axis.numeric) return { dim: index, name: axis.name, type: axis.log && values.every((v) => v > 0) ? 'log' : 'value', scale: true };
  const categories = [...new Set(values)].sort();
  return { dim: index, name: axis.name, type: 'category', data: categories };
}

function parallel(element, data) {
  if (data.rows.length === 0) return note(element, 'No completed trials yet.');
  const columns = data.axes.map((axis, i) => data.rows.map((r) => (axis.numeric ? Number(r.values[i]) : r.values[i])));
  const metric = data.rows.map((r) => r.value);
  const axes = data.axes.map((axis, i) => axisOf(axis, columns[i], i));
  axes.push({ dim: axes.length, name: data.metric, type: logScale(metric) ? 'log' : 'value', scale: true, axisLabel: label });
  const sampled = data.total > data.rows.length ? ` (${data.rows.length} of ${data.total} completed trials, evenly sampled)` : '';
  chartFor(element).setOption({
    ...base,
    title: sampled ? { text: sampled.trim(), textStyle: { fontSize: 12, fontWeight: 'normal' }, left: 'center', top: 0 } : undefined,
    parallel: { left: 60, right: 80, top: 50, bottom: 30 },
    parallelAxis: axes,
    visualMap: { show: false, dimension: axes.length - 1, min: Math.min(...metric), max: Math.max(...metric), inRange: { color: data.goal === 'minimize' ? ['#1f5fa8', '#e2e8f0'] : ['#e2e8f0', '#1f5fa8'] } },
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.6 }, data: data.rows.map((r, j) => [...columns.map((c) => c[j]), r.value]) }],
  }, true);
}

function slices(element, data) {
  element.replaceChildren();
  if (data.rows.length === 0) return note(element, 'No completed trials yet.');
  const metric = data.rows.map((r) => r.value);
  data.axes.forEach((axis, i) => {
    const cell = document.createElement('div');
    cell.className = 'chart small-multiple';
    cell.setAttribute('role', 'img');
    cell.setAttribute('aria-label', `${data.metric} against ${axis.name}`);
    element.append(cell);
    const values = data.rows.map((r) => (axis.numeric ? Number(r.values[i]) : r.values[i]));
    const xAxis = axis.numeric
      ? { type: axis.log && values.every((v) => v > 0) ? 'log' : 'value', name: axis.name, nameLocation: 'middle', nameGap: 28, scale: true }
      : { type: 'category', name: axis.name, nameLocation: 'middle', nameGap: 28, data: [...new Set(values)].sort() };
    chartFor(cell).setOption({
      ...base,
      grid: { left: 60, right: 20, top: 20, bottom: 50 },
      xAxis,
      yAxis: { type: logScale(metric) ? 'log' : 'value', name: data.metric, scale: true, axisLabel: label },
      series: [{ type: 'scatter', symbolSize: 5, data: data.rows.map((r, j) => [values[j], r.value, r.trial]),
        tooltip: { formatter: (p) => `trial #${p.data[2]}: ${axis.name}=${p.data[0]}, ${data.metric} ${fmt.number(p.data[1])}` } }],
    }, true);
  });
}

function lines(element, title, curves, xName) {
  if (curves.length === 0) return note(element, 'Nothing to draw yet.');
  const all = curves.flatMap((c) => c.values.filter((v) => typeof v === 'number'));
  chartFor(element).setOption({
    ...base,
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 30, min: 0 },
    yAxis: { type: logScale(all) ? 'log' : 'value', name: title, scale: true, axisLabel: label },
    series: curves.map((c) => ({ name: c.label, type: 'line', showSymbol: false, data: c.values.map((v, i) => [i, typeof v === 'number' ? v : null]) })),
  }, true);
}

function steps(element, trial) {
  if (trial.steps.length === 0) return note(element, 'This trial stored no step series.');
  chartFor(element).setOption({
    ...base,
    legend: { top: 0, selectedMode: 'single' },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 30, min: 0 },
    yAxis: { type: 'value', scale: true },
    series: trial.steps.map((s) => ({ name: s.metric, type: 'line', showSymbol: false, data: s.values.map((v, i) => [i, typeof v === 'number' ? v : null]) })),
  }, true);
}

function vectors(element, trial) {
  const vectors = trial.detail?.vectors;
  if (!Array.isArray(vectors) || vectors.length === 0) return note(element, 'The trial stored no final vectors.');
  const circle = Array.from({ length: 121 }, (_, i) => [Math.cos((i * Math.PI) / 60), Math.sin((i * Math.PI) / 60)]);
  const dims = vectors[0].length;
  chartFor(element).setOption({
    ...base,
    title: { text: dims > 2 ? `first two of ${dims} coordinates` : '', textStyle: { fontSize: 12, fontWeight: 'normal' }, left: 'center' },
    xAxis: { type: 'value', min: -1.1, max: 1.1 },
    yAxis: { type: 'value', min: -1.1, max: 1.1 },
    series: [
      { type: 'line', data: circle, showSymbol: false, lineStyle: { color: '#94a3b8' }, tooltip: { show: false } },
      { type: 'scatter', symbolSize: 9, data: vectors.map((v) => [v[0], v[1]]) },
    ],
  }, true);
}

function attack(element, trial) {
  const path = trial.detail?.probabilities;
  if (!Array.isArray(path)) return note(element, 'The trial stored no probability path.');
  lines(element, 'probability', [
    { label: 'P(cat)', values: path.map((p) => p[0]) },
    { label: 'P(dog)', values: path.map((p) => p[1]) },
  ], 'iteration');
}

async function compareHistory(element, ids) {
  const histories = await Promise.all(ids.map((id) => json(`/api/sweeps/${id}/history`)));
  const curves = histories.map((h, i) => ({ label: decodeURIComponent(ids[i]), points: h.best.map((b) => [b.n, b.value]) }));
  if (curves.every((c) => c.points.length === 0)) return note(element, 'No finished trials yet.');
  chartFor(element).setOption({
    ...base,
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'axis', confine: true },
    xAxis: { type: 'value', name: 'trials finished', nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: logScale(curves.flatMap((c) => c.points.map((p) => p[1]))) ? 'log' : 'value', name: histories[0].metric, scale: true, axisLabel: label },
    series: curves.map((c) => ({ name: c.label, type: 'line', step: 'end', showSymbol: false, data: c.points })),
  }, true);
}

async function compareCurves(element, ids) {
  const all = await Promise.all(ids.map((id) => json(`/api/sweeps/${id}/curves?top=1`)));
  const curves = all.flatMap((c, i) => c.curves.map((curve) => ({ label: `${decodeURIComponent(ids[i])}: ${curve.label}`, values: curve.values })));
  lines(element, all[0]?.metric ?? '', curves, 'step');
}

const renderers = { history, ranking, parallel, slices, steps, vectors, attack, curves: (e, d) => lines(e, d.metric, d.curves, 'step') };

/** Draws (or redraws) every chart on the page. */
export async function drawAll(root = document) {
  const jobs = [];
  const cache = new Map();
  for (const element of root.querySelectorAll('[data-chart]')) {
    const kind = element.dataset.chart;
    jobs.push((async () => {
      try {
        if (kind === 'compare-history') return await compareHistory(element, element.dataset.sources.split(' '));
        if (kind === 'compare-curves') return await compareCurves(element, element.dataset.sources.split(' '));
        const src = element.dataset.src;
        if (!cache.has(src)) cache.set(src, json(src));
        renderers[kind](element, await cache.get(src));
      } catch (error) {
        note(element, `The chart could not be loaded (${error.message}).`);
      }
    })());
  }
  await Promise.all(jobs);
  document.body.dataset.chartsReady = 'true';
}
