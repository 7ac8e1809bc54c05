// Profiles as flame graphs (d3-flame-graph), root at the top: a .cpuprofile's time per call stack, a .heapprofile's bytes per stack.

function frameName({ functionName, url, lineNumber }) {
  const file = url ? url.split('/').slice(-2).join('/') : '';
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
}

/** A V8 CPU profile as a tree of {name, value (ms), children}; idle time is left out so the work fills the width. */
export function cpuProfileTree(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples?.length ?? 0;
  const msPerSample = samples > 0 ? (profile.endTime - profile.startTime) / 1000 / samples : 1;
  const build = (node) => {
    const children = (node.children ?? [])
      .map((id) => nodes.get(id))
      .filter((child) => child && child.callFrame.functionName !== '(idle)')
      .map(build)
      .filter((child) => child.value > 0);
    const value = (node.hitCount ?? 0) * msPerSample + children.reduce((sum, child) => sum + child.value, 0);
    return { name: frameName(node.callFrame), value, children };
  };
  return build(profile.nodes[0]);
}

/** A V8 sampling heap profile as a tree of {name, value (bytes), children}. */
export function heapProfileTree(profile) {
  const build = (node) => {
    const children = node.children.map(build).filter((child) => child.value > 0);
    return { name: frameName(node.callFrame), value: node.selfSize + children.reduce((sum, child) => sum + child.value, 0), children };
  };
  return build(profile.head);
}

/** Renders `profile` (parsed JSON of a file called `name`) into `element`. */
export function drawFlameGraph(element, name, profile) {
  const isHeap = name.endsWith('.heapprofile');
  const tree = isHeap ? heapProfileTree(profile) : cpuProfileTree(profile);
  const unit = isHeap ? (value) => `${(value / 1024).toFixed(1)} KiB` : (value) => `${value.toFixed(1)} ms`;
  // The UMD build of d3-flame-graph 5 exports its factory as `default` on the global `flamegraph`.
  const chart = flamegraph
    .default()
    .width(element.clientWidth || 960)
    .cellHeight(18)
    .inverted(true)
    .transitionDuration(0)
    .minFrameSize(1)
    .label((node) => `${node.data.name}: ${unit(node.value)}`);
  element.replaceChildren();
  d3.select(element).datum(tree).call(chart);
  return { total: unit(tree.value) };
}
