// The risk feature's public surface: the engine's trading state, its feed, and the top bar's item
// with the kill switch.
export { createRiskStore } from './riskStore';
export type { RiskState, RiskStore } from './riskStore';
export { startRisk } from './riskBridge';
export type { RiskActions, RiskHandle, RiskService } from './riskBridge';
export { RiskContext, useRisk, useRiskHandle } from './riskContext';
export { KILL_SWITCH_QUESTION, RiskStatusItem, riskTitle } from './RiskStatusItem';
