// The endpoint table, the slow request table and the profile list.
import { exploreTraceUrl } from './grafana.js';

const number = (value, digits = 1) => (value === null || value === undefined ? '–' : value.toFixed(digits));

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.append(cell);
    else if (typeof cell === 'object' && cell !== null) {
      td.textContent = cell.text;
      td.className = cell.className ?? '';
    } else td.textContent = cell;
    tr.append(td);
  }
  return tr;
}

function linkButton(text, onClick) {
  const button = Object.assign(document.createElement('button'), { type: 'button', className: 'link', textContent: text });
  button.addEventListener('click', onClick);
  return button;
}

export function fillEndpoints(tbody, requests) {
  tbody.replaceChildren(
    ...requests.map((r) => row([{ text: r.endpoint, className: 'text' }, String(r.count), number(r.meanMs), number(r.p50Ms), number(r.p95Ms), number(r.p99Ms)])),
  );
}

/** A trace id, linked to its trace in Grafana when it was sampled (only sampled traces reach Tempo). */
function traceCell(entry, grafanaUrl) {
  if (!entry.traceId) return '–';
  const code = Object.assign(document.createElement('code'), { textContent: entry.traceId });
  if (!entry.traceSampled) {
    code.title = 'not sampled: not in the trace backend';
    return code;
  }
  const link = Object.assign(document.createElement('a'), { href: exploreTraceUrl(grafanaUrl, entry.traceId, entry.timestamp), target: '_blank', rel: 'noopener', title: 'the trace in Grafana Explore (Tempo)' });
  link.append(code);
  return link;
}

/** Newest first; the largest share of each request's time is highlighted. */
export function fillSlowRequests(tbody, slowRequests, showProfile, grafanaUrl) {
  tbody.replaceChildren(
    ...slowRequests.map((entry) => {
      const parts = ['postgres', 'redis', 'catalog', 'other'];
      const dominant = parts.reduce((best, part) => (entry.breakdownMs[part] > entry.breakdownMs[best] ? part : best));
      return row([
        { text: new Date(entry.timestamp).toLocaleTimeString(), className: 'text' },
        { text: `${entry.method} ${entry.route}`, className: 'text' },
        String(entry.statusCode),
        number(entry.durationMs),
        ...parts.map((part) => ({ text: number(entry.breakdownMs[part]), className: part === dominant ? 'dominant' : '' })),
        traceCell(entry, grafanaUrl),
        entry.profile ? linkButton('flame graph', () => showProfile(entry.profile)) : '–',
      ]);
    }),
  );
}

export function fillProfiles(list, profiles, selected, showProfile) {
  list.replaceChildren(
    ...profiles.map((profile) => {
      const item = document.createElement('li');
      const button = Object.assign(document.createElement('button'), {
        type: 'button',
        textContent: `${profile.name} (${(profile.sizeBytes / 1024).toFixed(0)} KiB)`,
        className: profile.name === selected ? 'selected' : '',
      });
      button.addEventListener('click', () => showProfile(profile.name));
      item.append(button);
      return item;
    }),
  );
}
