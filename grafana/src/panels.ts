import {
  DashboardLinkBuilder, ThresholdsConfigBuilder, ThresholdsMode,
  type DashboardLink, type DataSourceRef, type Threshold, type ThresholdsConfig,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as heatmapPanel from '@grafana/grafana-foundation-sdk/heatmap';
import * as logsPanel from '@grafana/grafana-foundation-sdk/logs';
import * as statPanel from '@grafana/grafana-foundation-sdk/stat';
import * as tablePanel from '@grafana/grafana-foundation-sdk/table';
import * as timeseriesPanel from '@grafana/grafana-foundation-sdk/timeseries';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { PROMETHEUS } from './datasources.ts';

/** What every panel has: a title, a sentence saying what it shows, its width (of 24) and its queries. */
export interface PanelSpec {
  title: string;
  description: string;
  targets: Array<Builder<Dataquery>>;
  /** Grafana unit id, e.g. `s`, `reqps`, `percentunit`, `bytes`. */
  unit?: string;
  /** Width in grid columns (24 is the full width). @default 12 */
  span?: number;
  /** @default 8 */
  height?: number;
  /** Threshold steps above the base color, e.g. `[[0.5, 'red']]`. */
  thresholds?: Array<[value: number, color: string]>;
  /** Links on every value of the panel (Grafana data links; `${__field.labels.x}` is a label of the series). */
  links?: Array<{ title: string; url: string }>;
  /** @default Prometheus */
  datasource?: DataSourceRef;
}

/** The methods every panel builder of the SDK has; the helpers below set them the same way on each kind. */
interface CommonPanelBuilder {
  title(title: string): this;
  description(text: string): this;
  datasource(ref: DataSourceRef): this;
  withTarget(target: Builder<Dataquery>): this;
  unit(unit: string): this;
  span(span: number): this;
  height(height: number): this;
  thresholds(config: Builder<ThresholdsConfig>): this;
  dataLinks(links: Array<Builder<DashboardLink>>): this;
}

function apply<T extends CommonPanelBuilder>(panel: T, spec: PanelSpec): T {
  panel.title(spec.title).description(spec.description).datasource(spec.datasource ?? PROMETHEUS).span(spec.span ?? 12).height(spec.height ?? 8);
  if (spec.unit !== undefined) panel.unit(spec.unit);
  // The base step has no value (null in Grafana's JSON): it colors everything below the first threshold.
  const steps = [{ value: null, color: 'green' }, ...(spec.thresholds ?? []).map(([value, color]) => ({ value, color }))];
  panel.thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps as Threshold[]));
  if (spec.links !== undefined) panel.dataLinks(spec.links.map((link) => new DashboardLinkBuilder(link.title).url(link.url)));
  for (const target of spec.targets) panel.withTarget(target);
  return panel;
}

function legend(): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).calcs([]);
}

/** Lines over time, one per series. */
export function timeSeries(spec: PanelSpec & { stacked?: boolean; thresholdLines?: boolean }): timeseriesPanel.PanelBuilder {
  const panel = apply(new timeseriesPanel.PanelBuilder(), spec).legend(legend()).tooltip(
    new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
  ).fillOpacity(spec.stacked === true ? 30 : 5).lineWidth(1).showPoints(common.VisibilityMode.Never);
  if (spec.stacked === true) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (spec.thresholdLines === true) panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  return panel;
}

/** One big number (the last value), colored by the thresholds. */
export function stat(spec: PanelSpec): statPanel.PanelBuilder {
  return apply(new statPanel.PanelBuilder(), { span: 6, height: 4, ...spec })
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** Rows of label values and numbers from instant queries. */
export function table(spec: PanelSpec): tablePanel.PanelBuilder {
  return apply(new tablePanel.PanelBuilder(), spec).showHeader(true);
}

/** Colored cells per latency bucket and time slot: where requests' durations fall, not just a percentile. */
export function heatmap(spec: PanelSpec): heatmapPanel.PanelBuilder {
  return apply(new heatmapPanel.PanelBuilder(), spec)
    .calculate(false)
    .color(new heatmapPanel.HeatmapColorOptionsBuilder().mode(heatmapPanel.HeatmapColorMode.Scheme).scheme('Oranges').steps(64))
    .yAxis(new heatmapPanel.YAxisConfigBuilder().unit('s'))
    .cellValues(new heatmapPanel.CellValuesBuilder().unit('short'))
    .rowsFrame(new heatmapPanel.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Le));
}

/** Log lines, newest first, each expandable to its fields (a `trace_id` opens the trace in Tempo). */
export function logs(spec: PanelSpec): logsPanel.PanelBuilder {
  return apply(new logsPanel.PanelBuilder(), { span: 24, height: 10, ...spec })
    .showTime(true).wrapLogMessage(true).enableLogDetails(true).sortOrder(common.LogsSortOrder.Descending);
}
