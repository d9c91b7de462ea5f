// The chart feature's public surface: the chart panel (lightweight-charts behind candleChart.ts).
export { Chart } from './Chart';
export type { ChartProps } from './Chart';
