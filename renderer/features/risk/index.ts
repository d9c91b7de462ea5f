// The risk feature's public surface: the engine's trading state and limits, their feed, the top
// bar's item with the kill switch, and the risk panel.
export { createRiskStore } from './riskStore';
export type { RiskState, RiskStore } from './riskStore';
export { startRisk } from './riskBridge';
export type { RiskActions, RiskHandle, RiskService } from './riskBridge';
export { RiskContext, useRisk, useRiskHandle } from './riskContext';
export { KILL_SWITCH_QUESTION, KillSwitchButton, ResumeButton } from './RiskButtons';
export { RiskStatusItem, riskTitle } from './RiskStatusItem';
export { RiskPanel } from './RiskPanel';
export type { RiskPanelProps } from './RiskPanel';
export { LIMIT_FIELDS, limitForm, readLimitForm, riskUsage } from './riskView';
export type { LimitForm, LimitKey, LimitPatch, UsageBar } from './riskView';
