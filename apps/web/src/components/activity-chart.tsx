import type { DailyActivity } from '../api/admin';
import { barsFor, niceByteCeiling, niceCeiling } from '../chart-scale';
import { formatBytes } from '../format';
import { DataTable } from './data-table';
import { locale, messages } from '../messages';

const m = messages.admin.overview;
const WIDTH = 600;
const HEIGHT = 90;
/** Room on the left for the axis label, below for the dates. */
const LEFT = 56;
const BOTTOM = 18;

const dayFormat = new Intl.DateTimeFormat(locale, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const dayLabel = (date: string) => dayFormat.format(new Date(`${date}T00:00:00Z`));

function Series(props: {
  label: string;
  values: number[];
  ceiling: number;
  ceilingLabel: string;
  titles: string[];
  kind: 'uploads' | 'bytes';
}) {
  const plot = { width: WIDTH - LEFT, height: HEIGHT };
  const bars = barsFor(props.values, props.ceiling, plot);
  return (
    <g class={`series ${props.kind}`}>
      <text class="axis-label" x={0} y={12}>
        {props.label}
      </text>
      <text class="axis-label" x={0} y={28}>
        {props.ceilingLabel}
      </text>
      <line class="axis" x1={LEFT} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} />
      <line class="grid" x1={LEFT} x2={WIDTH} y1={0.5} y2={0.5} />
      {bars.map((bar, index) => (
        <rect
          key={index}
          class="bar"
          x={LEFT + bar.x}
          y={bar.y}
          width={bar.width}
          height={bar.height}
        >
          <title>{props.titles[index]}</title>
        </rect>
      ))}
    </g>
  );
}

/**
 * Uploads and bytes per day as two bar rows over one time axis, drawn as SVG (CSS classes only:
 * the page's CSP forbids style attributes). The same numbers are in a table for screen readers.
 */
export function ActivityChart({ daily }: { daily: DailyActivity[] }) {
  const uploads = daily.map((day) => day.uploads);
  const bytes = daily.map((day) => day.bytes);
  const uploadCeiling = niceCeiling(Math.max(0, ...uploads));
  const byteCeiling = niceByteCeiling(Math.max(0, ...bytes));
  const titles = daily.map((day) =>
    m.dayValue(dayLabel(day.date), day.uploads, formatBytes(day.bytes)),
  );
  const ticks = daily.length > 1 ? [0, Math.floor((daily.length - 1) / 2), daily.length - 1] : [0];
  const slot = (WIDTH - LEFT) / Math.max(1, daily.length);
  const total = 2 * HEIGHT + BOTTOM + 24;

  return (
    <figure class="activity">
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${total}`}
        role="img"
        aria-label={m.chartLabel(daily.length)}
      >
        <Series
          kind="uploads"
          label={m.uploadsSeries}
          values={uploads}
          ceiling={uploadCeiling}
          ceilingLabel={String(uploadCeiling)}
          titles={titles}
        />
        <g transform={`translate(0 ${HEIGHT + 24})`}>
          <Series
            kind="bytes"
            label={m.bytesSeries}
            values={bytes}
            ceiling={byteCeiling}
            ceilingLabel={formatBytes(byteCeiling)}
            titles={titles}
          />
        </g>
        {daily.length > 0 &&
          ticks.map((index) => (
            <text
              key={index}
              class="axis-label"
              x={LEFT + slot * index + slot / 2}
              y={total - 4}
              text-anchor={index === 0 ? 'start' : index === daily.length - 1 ? 'end' : 'middle'}
            >
              {dayLabel(daily[index].date)}
            </text>
          ))}
      </svg>
      <details>
        <summary>{m.showTable}</summary>
        <DataTable
          rows={daily}
          rowKey={(day) => day.date}
          label={m.tableLabel}
          caption={m.tableCaption}
          columns={[
            {
              header: m.date,
              cell: (day) => <time dateTime={day.date}>{dayLabel(day.date)}</time>,
            },
            { header: m.uploads, kind: 'num', cell: (day) => day.uploads },
            { header: m.bytes, kind: 'num', cell: (day) => formatBytes(day.bytes) },
          ]}
        />
      </details>
    </figure>
  );
}
