// Entry point of every page: charts, live updates (server-sent events, pausable), nothing else.
import { drawAll } from './charts.js';
import { LiveStream, applySweep } from './live.js';

function sweepPage(header) {
  const button = document.getElementById('live-button');
  let events = 0;
  const stream = new LiveStream(header.dataset.events, ['progress', 'end'], (name, data) => {
    if (name === 'progress') {
      applySweep(document, data);
      // Redraw the charts now and then while trials arrive, and once more at the end.
      if (++events % 5 === 0) drawAll();
    } else {
      drawAll();
      if (button) button.hidden = true;
    }
  });
  const setLive = (on) => {
    if (on) stream.start(); else stream.stop();
    if (button) {
      button.setAttribute('aria-pressed', String(on));
      button.textContent = on ? 'Pause live updates' : 'Resume live updates';
    }
    const url = new URL(window.location.href);
    if (on) url.searchParams.delete('live'); else url.searchParams.set('live', 'off');
    window.history.replaceState(null, '', url);
  };
  button?.addEventListener('click', () => setLive(button.getAttribute('aria-pressed') !== 'true'));
  if (header.dataset.live !== 'off') stream.start();
}

function sweepsList(table) {
  const toggle = document.getElementById('live-toggle');
  const stream = new LiveStream(table.dataset.live, ['sweeps'], (_, sweeps) => {
    for (const sweep of sweeps) {
      const row = table.querySelector(`tr[data-sweep="${CSS.escape(sweep.id)}"]`);
      if (row) applySweep(row, sweep);
    }
  });
  toggle?.addEventListener('change', () => (toggle.checked ? stream.start() : stream.stop()));
  stream.start();
}

document.addEventListener('DOMContentLoaded', () => {
  const header = document.getElementById('sweep');
  if (header) sweepPage(header);
  const table = document.getElementById('sweeps');
  if (table?.dataset.live) sweepsList(table);
  drawAll();
});
