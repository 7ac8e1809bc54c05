// The four history charts (uPlot). A chart is rebuilt when its set of series changes, otherwise only its data.
const COLORS = ['#1a56db', '#e3731c', '#0e9f6e', '#c81e1e', '#7e3af2', '#0694a2', '#b43403', '#5850ec', '#9f580a', '#e74694'];

const charts = new Map();

function chartOptions(element, labels, yLabel) {
  return {
    width: element.clientWidth || 500,
    height: 220,
    scales: { x: { time: true } },
    series: [{}, ...labels.map((label, index) => ({ label, stroke: COLORS[index % COLORS.length], width: 2, spanGaps: false, points: { show: true, size: 4 } }))],
    axes: [{}, { label: yLabel, size: 60 }],
    legend: { live: true },
  };
}

/** Draws `series` ({label: values}) against `times` (epoch ms) in the element with id `id`. */
export function drawChart(id, times, series, yLabel) {
  const element = document.getElementById(id);
  const labels = Object.keys(series);
  const data = [times.map((time) => time / 1000), ...labels.map((label) => series[label])];
  const points = labels.reduce((sum, label) => sum + series[label].filter((value) => value !== null && value !== undefined).length, 0);
  element.dataset.points = String(points);
  const known = charts.get(id);
  if (known && known.labels.join('\n') === labels.join('\n')) {
    known.plot.setData(data);
    return;
  }
  known?.plot.destroy();
  element.replaceChildren();
  if (labels.length === 0 || times.length === 0) {
    element.append(Object.assign(document.createElement('p'), { className: 'empty', textContent: 'No samples yet.' }));
    charts.delete(id);
    return;
  }
  charts.set(id, { labels, plot: new uPlot(chartOptions(element, labels, yLabel), data, element) });
}

export function resizeCharts() {
  for (const [id, { plot }] of charts) plot.setSize({ width: document.getElementById(id).clientWidth, height: 220 });
}
