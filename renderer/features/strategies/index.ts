// The strategies feature's public surface: the panel (an empty state until strategies arrive).
export { StrategiesPanel } from './StrategiesPanel';
