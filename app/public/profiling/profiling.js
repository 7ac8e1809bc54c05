// The live profiling page: asks for the admin token once, then refreshes charts and tables every few seconds.
import { download, getJson, profileUrl, token, UnauthorizedError } from './api.js';
import { drawChart, resizeCharts } from './charts.js';
import { drawFlameGraph } from './flame.js';
import { fillEndpoints, fillProfiles, fillSlowRequests } from './tables.js';

const $ = (id) => document.getElementById(id);
const MiB = 1024 * 1024;
/** The page's own polling and the profiling API would crowd the latency chart; the endpoint table still lists them. */
const ADMIN_ENDPOINT = / \/(admin\/|api\/profiling|api\/metrics)/;
/** The profile whose flame graph is shown; `?profile=<name>` (a slow request's span links there) picks it. */
let selectedProfile = new URLSearchParams(location.search).get('profile') ?? undefined;
let shownProfile;
let config;
let timer;

function showLogin(message) {
  clearTimeout(timer);
  $('content').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('status').textContent = message ?? '';
}

function drawHistory(samples) {
  const times = samples.map((sample) => sample.time);
  const quantile = $('quantile').value;
  const endpoints = [...new Set(samples.flatMap((sample) => Object.keys(sample.latency)))].filter((e) => !ADMIN_ENDPOINT.test(e)).sort();
  drawChart('chart-latency', times, Object.fromEntries(endpoints.map((e) => [e, samples.map((s) => s.latency[e]?.[quantile] ?? null)])), 'ms');
  drawChart('chart-cpu', times, { 'CPU %': samples.map((s) => (s.cpuUtilization ?? null) === null ? null : s.cpuUtilization * 100) }, '%');
  drawChart('chart-memory', times, {
    RSS: samples.map((s) => (s.rssBytes ?? null) === null ? null : s.rssBytes / MiB),
    'heap used': samples.map((s) => (s.heapUsedBytes ?? null) === null ? null : s.heapUsedBytes / MiB),
  }, 'MB');
  drawChart('chart-event-loop', times, {
    'delay p99 (ms)': samples.map((s) => s.eventLoopDelayP99Ms ?? null),
    'utilization (%)': samples.map((s) => (s.eventLoopUtilization ?? null) === null ? null : s.eventLoopUtilization * 100),
  }, 'ms / %');
}

async function showProfile(name) {
  selectedProfile = name;
  shownProfile = name;
  const url = new URL(location.href);
  url.searchParams.set('profile', name);
  window.history.replaceState(null, '', url);
  $('flame-title').textContent = `${name}: loading…`;
  const profile = await getJson(profileUrl(name));
  const { total } = drawFlameGraph($('flame'), name, profile);
  $('flame-title').textContent = `${name}: ${total} (click a frame to zoom in)`;
  $('downloads').hidden = false;
  for (const button of $('profiles').querySelectorAll('button')) button.classList.toggle('selected', button.textContent.startsWith(`${name} `));
}

function showError(error) {
  console.error(error);
  $('status').textContent = error.message;
}

async function refresh() {
  try {
    config ??= await getJson('/api/profiling/config');
    const [history, metrics, profiles] = await Promise.all([getJson('/api/profiling/history'), getJson('/api/metrics'), getJson('/api/profiling/profiles')]);
    $('login').hidden = true;
    $('logout').hidden = false;
    $('content').hidden = false;
    drawHistory(history.items);
    fillEndpoints($('endpoints').tBodies[0], metrics.requests);
    $('slow-threshold').textContent = `(over ${config.slowRequestMs} ms)`;
    fillSlowRequests($('slow-requests').tBodies[0], metrics.slowRequests, showProfile, config.grafanaUrl);
    fillProfiles($('profiles'), profiles.items, selectedProfile, showProfile);
    // A profile named in the URL may not be saved yet (an automatic one is, PROFILE_CAPTURE_MS after it starts).
    const wanted = selectedProfile ?? profiles.items[0]?.name;
    if (wanted !== shownProfile && profiles.items.some((profile) => profile.name === wanted)) await showProfile(wanted);
    else if (wanted !== shownProfile && wanted !== undefined) $('flame-title').textContent = `${wanted}: not in the profile directory (yet)`;
    $('status').textContent = `updated ${new Date().toLocaleTimeString()}${metrics.telemetry ? '' : ' (telemetry is off: no charts)'}`;
    timer = setTimeout(refresh, Math.max(1000, history.intervalMs));
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      token.clear();
      showLogin(error.message);
      return;
    }
    console.error(error);
    $('status').textContent = `refresh failed: ${error.message}; retrying`;
    timer = setTimeout(refresh, 5000);
  }
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  token.set($('token').value);
  $('token').value = '';
  refresh();
});
$('logout').addEventListener('click', () => {
  token.clear();
  showLogin();
});
$('download-v8').addEventListener('click', () => download(profileUrl(shownProfile), shownProfile).catch(showError));
$('download-pprof').addEventListener('click', () => download(`${profileUrl(shownProfile)}?format=pprof`, `${shownProfile}.pb.gz`).catch(showError));
$('quantile').addEventListener('change', () => {
  clearTimeout(timer);
  refresh();
});
window.addEventListener('resize', resizeCharts);

if (token.get()) refresh();
else showLogin();
