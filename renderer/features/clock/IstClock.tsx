import './clock.css';
import { formatIstDate, formatIstTime } from '../../../shared/time/ist';
import { useClock } from './clockContext';

const selectIstTime = (s: { readonly nowMs: number }): string => formatIstTime(s.nowMs);
const selectIstDate = (s: { readonly nowMs: number }): string => formatIstDate(s.nowMs);

/** The exchange clock: `HH:MM:SS IST` from the machine's clock, whatever its time zone. */
export function IstClock() {
  const time = useClock(selectIstTime);
  const date = useClock(selectIstDate);
  return (
    <span className="ist-clock" title="Indian Standard Time (UTC+05:30), from this machine's clock">
      <span className="ist-clock__date" data-testid="ist-date">
        {date}
      </span>
      <span className="ist-clock__time num" data-testid="ist-clock">
        {time} IST
      </span>
    </span>
  );
}
