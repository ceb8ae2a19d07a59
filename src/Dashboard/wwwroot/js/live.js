// Live progress by server-sent events. Every value lands in the page with textContent: nothing from the server is parsed as HTML.
import * as fmt from './format.js';

function setField(root, name, text) {
  for (const element of root.querySelectorAll(`[data-field="${name}"]`)) element.textContent = text;
}

export function applySweep(root, sweep) {
  setField(root, 'done', `${fmt.integer(sweep.completed + sweep.diverged + sweep.failed)} / ${fmt.integer(sweep.trials)}`);
  setField(root, 'completed', fmt.integer(sweep.completed));
  setField(root, 'diverged', fmt.integer(sweep.diverged));
  setField(root, 'failed', fmt.integer(sweep.failed));
  setField(root, 'rate', fmt.rate(sweep.trialsPerSecond));
  setField(root, 'eta', fmt.duration(sweep.etaSeconds));
  const best = root.querySelector('[data-field="best"]');
  if (best) best.textContent = best.closest('td') ? `${sweep.primaryMetric} ${fmt.number(sweep.best)}` : fmt.number(sweep.best);
  setField(root, 'best-parameters', fmt.parameters(sweep.bestParameters));
  for (const status of root.querySelectorAll('[data-field="status"]')) {
    status.textContent = sweep.status;
    status.className = `status status-${sweep.status}`;
  }
  for (const bar of root.querySelectorAll('progress[data-field="progress"]')) {
    bar.max = Math.max(1, sweep.trials);
    bar.value = sweep.completed + sweep.diverged + sweep.failed;
    bar.textContent = `${Math.round(sweep.progress * 100)}%`;
  }
  for (const form of root.querySelectorAll('.actions form')) {
    const verb = form.getAttribute('action').split('/').pop();
    const show = verb === 'pause' ? sweep.status === 'running' : verb === 'resume' ? sweep.status === 'paused' : ['pending', 'running', 'paused'].includes(sweep.status);
    form.hidden = !show;
  }
}

/** A stream that can be paused and resumed; `onEvent(name, data)` gets every event. */
export class LiveStream {
  constructor(url, names, onEvent) {
    this.url = url;
    this.names = names;
    this.onEvent = onEvent;
    this.source = null;
    this.ended = false;
  }

  start() {
    if (this.source || this.ended) return;
    this.source = new EventSource(this.url);
    for (const name of this.names) {
      this.source.addEventListener(name, (event) => {
        const data = JSON.parse(event.data);
        if (name === 'end') {
          this.ended = true;
          this.stop();
        }
        this.onEvent(name, data);
      });
    }
  }

  stop() {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }
}
