import './engine.css';
import type { ReactNode } from 'react';
import { formatIstDateTime, formatIstTime } from '../../../shared/time/ist';
import type { Health } from '../../../shared/services/system';
import { useEngine } from './engineContext';
import type { EngineState } from './engineStore';
import { selectIsLive, selectIsStatusLive } from './engineStore';
import {
  EM_DASH,
  formatBytes,
  formatInteger,
  formatLag,
  formatMode,
  formatTransport,
  formatUptime,
} from './format';

const selectInfo = (s: EngineState) => s.info;
const selectStatus = (s: EngineState) => s.status;
const selectTransport = (s: EngineState) => s.transport;
const selectHealth = (s: EngineState) => s.status?.health;
const selectHealthReasons = (s: EngineState) => s.status?.healthReasons;

const HEALTH_LABELS: Readonly<Record<Health, string>> = {
  ok: 'OK',
  degraded: 'DEGRADED',
  failing: 'FAILING',
};

function Row({ label, field, children }: { label: string; field: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-field={field}>{children}</dd>
    </>
  );
}

function istDateTime(epochMs: number | undefined): string {
  return epochMs === undefined ? EM_DASH : `${formatIstDateTime(epochMs)} IST`;
}

function istTime(epochMs: number | undefined): string {
  return epochMs === undefined ? EM_DASH : `${formatIstTime(epochMs)} IST`;
}

/** What the engine is: fixed for the life of the engine process. */
function ProcessFacts() {
  const info = useEngine(selectInfo);
  const transport = useEngine(selectTransport);
  const live = useEngine(selectIsLive);
  return (
    <dl className="kv" data-stale={!live} aria-label="Engine process">
      <Row label="Version" field="version">
        {info?.version ?? EM_DASH}
      </Row>
      <Row label="Mode" field="mode">
        <span className="mode-text" data-mode={info?.mode ?? 'unknown'}>
          {formatMode(info?.mode)}
        </span>
      </Row>
      <Row label="Host" field="host">
        {info?.host ?? EM_DASH}
      </Row>
      <Row label="PID" field="pid">
        {formatInteger(info?.pid)}
      </Row>
      <Row label="Node" field="node">
        {info?.node ?? EM_DASH}
      </Row>
      <Row label="Started" field="startedAt">
        {istDateTime(info?.startedAt)}
      </Row>
      <Row label="Link" field="transport">
        {formatTransport(transport)}
      </Row>
    </dl>
  );
}

/** How the engine is doing: the latest 1 Hz sample. */
function Vitals() {
  const status = useEngine(selectStatus);
  const fresh = useEngine(selectIsStatusLive);
  return (
    <dl className="kv" data-stale={!fresh} aria-label="Engine vital signs">
      <Row label="Uptime" field="uptime">
        {formatUptime(status?.uptimeMs)}
      </Row>
      <Row label="Loop lag p99" field="lagP99">
        {formatLag(status?.eventLoopLagP99Ms)}
      </Row>
      <Row label="Loop lag max" field="lagMax">
        {formatLag(status?.eventLoopLagMaxMs)}
      </Row>
      <Row label="RSS" field="rss">
        {formatBytes(status?.rssBytes)}
      </Row>
      <Row label="Heap used" field="heap">
        {formatBytes(status?.heapUsedBytes)}
      </Row>
      <Row label="Connections" field="connections">
        {formatInteger(status?.connections)}
      </Row>
      <Row label="Sampled" field="sampledAt">
        {istTime(status?.at)}
      </Row>
    </dl>
  );
}

/** OK / DEGRADED / FAILING, as the engine judges itself. */
function HealthPill() {
  const health = useEngine(selectHealth);
  const fresh = useEngine(selectIsStatusLive);
  return (
    <span
      className="health-pill"
      data-health={health ?? 'unknown'}
      data-stale={!fresh}
      data-testid="engine-health"
      title="Engine health, judged by the engine from its event-loop lag and memory"
    >
      {health === undefined ? EM_DASH : HEALTH_LABELS[health]}
    </span>
  );
}

/** Why health is not OK, in the engine's words. */
function HealthReasons() {
  const reasons = useEngine(selectHealthReasons);
  const fresh = useEngine(selectIsStatusLive);
  const text = reasons === undefined ? EM_DASH : reasons.length === 0 ? 'none' : reasons.join(' · ');
  return (
    <div className="engine-reasons" data-stale={!fresh}>
      <span className="engine-reasons__label">Health reasons</span>
      <span
        className="engine-reasons__text"
        data-empty={reasons === undefined || reasons.length === 0}
        data-testid="engine-health-reasons"
        title={reasons?.join('\n') ?? ''}
      >
        {text}
      </span>
    </div>
  );
}

/** Says so in the panel header whenever the panel's values are not live; empty when they are. */
function FreshnessTag() {
  const fresh = useEngine(selectIsStatusLive);
  const live = useEngine(selectIsLive);
  const text = fresh ? '' : live ? 'WAITING' : 'STALE';
  return (
    <span
      className="freshness"
      data-fresh={fresh}
      data-testid="engine-freshness"
      title={fresh ? '' : 'Not live: these are the last values received from the engine'}
    >
      {text}
    </span>
  );
}

/** The Engine panel: what the engine is and how it is doing, from its own reports. */
export function EnginePanel() {
  return (
    <section className="panel engine-panel" data-testid="engine-panel" aria-labelledby="engine-panel-title">
      <header className="panel__head">
        <h2 className="panel__title" id="engine-panel-title">
          Engine
        </h2>
        <FreshnessTag />
        <HealthPill />
      </header>
      <div className="panel__body">
        <div className="engine-grid">
          <ProcessFacts />
          <Vitals />
        </div>
        <HealthReasons />
      </div>
    </section>
  );
}
