// Every row's verdict in a virtualised table: 100,000 rows render as the ~20 that are visible.
import type { Verdict, TenantRole } from "@app/bff/contract";
import { Badge, Box, Checkbox, NativeSelect, Text } from "@mantine/core";
import { observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { useRef, type ReactNode } from "react";
import { isRole, ROLE_LABELS, ROLE_OPTIONS } from "../../components/roles.tsx";

export type PreviewRow = {
  /** position in the rows sent to the preview (0-based) */
  index: number;
  /** spreadsheet row number */
  row: number;
  email: string;
  name: string;
  /** as the file says after normalising synonyms: "member" when blank; any other text is invalid */
  role: string;
  verdict: Verdict;
  reason?: string;
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  ready: "Ready",
  invalid: "Invalid",
  duplicate_in_file: "Duplicate in file",
  already_member: "Already a member",
  already_invited: "Already invited",
  existing_account: "Has an account; contact support",
  domain_not_allowed: "Domain not allowed",
  over_seat_limit: "Over seat limit",
};

const VERDICT_COLORS: Record<Verdict, string> = {
  ready: "green",
  invalid: "red",
  duplicate_in_file: "orange",
  already_member: "gray",
  already_invited: "gray",
  existing_account: "red",
  domain_not_allowed: "red",
  over_seat_limit: "yellow",
};

const ROW_HEIGHT = 44;
const VIEWPORT = { width: 1000, height: 480 };
const COLUMNS =
  "44px 64px minmax(180px, 1.3fr) minmax(120px, 1fr) 120px 170px minmax(160px, 1.5fr)";

type Props = {
  rows: PreviewRow[];
  selected: ReadonlySet<number>;
  /** whether this row may take a seat at all */
  selectable: (row: PreviewRow) => boolean;
  /** whether another row can still be added */
  full: boolean;
  onToggle: (index: number) => void;
  /** roles the admin chose in the table, by row index; they win over the file's */
  roles: ReadonlyMap<number, TenantRole>;
  onRoleChange: (index: number, role: TenantRole) => void;
};

function Cell({ children }: { children: ReactNode }) {
  return (
    <Box
      role="cell"
      style={{
        overflow: "hidden",
        textOverflow: "ellipsis",
        whiteSpace: "nowrap",
      }}
      px={6}
    >
      {children}
    </Box>
  );
}

export function PreviewTable({
  rows,
  selected,
  selectable,
  full,
  onToggle,
  roles,
  onRoleChange,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer's functions are used only inside this component, and no React Compiler runs here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // Without layout (first paint, a hidden tab, jsdom) the box measures 0 × 0: assume the
    // viewport height rather than rendering no rows at all.
    initialRect: VIEWPORT,
    observeElementRect: (instance, callback) =>
      observeElementRect(instance, (rect) =>
        callback(rect.height > 0 ? rect : VIEWPORT),
      ),
  });
  return (
    <Box role="table" aria-label="Preview rows" aria-rowcount={rows.length + 1}>
      <Box role="rowgroup">
        <Box
          role="row"
          aria-rowindex={1}
          style={{
            display: "grid",
            gridTemplateColumns: COLUMNS,
            alignItems: "center",
            height: ROW_HEIGHT,
          }}
          bg="var(--mantine-color-default-hover)"
        >
          {["Seat", "Row", "Email", "Name", "Role", "Verdict", "Reason"].map(
            (h) => (
              <Box key={h} role="columnheader" px={6}>
                <Text size="sm" fw={600}>
                  {h}
                </Text>
              </Box>
            ),
          )}
        </Box>
      </Box>
      <div
        ref={scrollRef}
        style={{
          height: Math.min(480, Math.max(rows.length, 1) * ROW_HEIGHT),
          overflow: "auto",
        }}
      >
        <Box
          role="rowgroup"
          style={{ height: virtualizer.getTotalSize(), position: "relative" }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            const canSelect = selectable(row);
            const isSelected = selected.has(row.index);
            return (
              <Box
                key={row.index}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={canSelect ? isSelected : undefined}
                style={{
                  display: "grid",
                  gridTemplateColumns: COLUMNS,
                  alignItems: "center",
                  position: "absolute",
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                  borderBottom: "1px solid var(--mantine-color-default-border)",
                }}
              >
                <Cell>
                  {canSelect ? (
                    <Checkbox
                      aria-label={`Invite ${row.email}`}
                      checked={isSelected}
                      disabled={!isSelected && full}
                      onChange={() => onToggle(row.index)}
                    />
                  ) : null}
                </Cell>
                <Cell>
                  <Text size="sm" c="dimmed">
                    {row.row}
                  </Text>
                </Cell>
                <Cell>
                  <Text size="sm">{row.email || "—"}</Text>
                </Cell>
                <Cell>
                  <Text size="sm">{row.name}</Text>
                </Cell>
                <Cell>
                  <RoleCell
                    row={row}
                    role={roles.get(row.index) ?? row.role}
                    editable={canSelect}
                    onChange={(role) => onRoleChange(row.index, role)}
                  />
                </Cell>
                <Cell>
                  <Badge
                    color={VERDICT_COLORS[row.verdict]}
                    variant="light"
                    radius="sm"
                  >
                    {VERDICT_LABELS[row.verdict]}
                  </Badge>
                </Cell>
                <Cell>
                  <Text size="sm" c="dimmed" title={row.reason}>
                    {row.reason ?? ""}
                  </Text>
                </Cell>
              </Box>
            );
          })}
        </Box>
      </div>
    </Box>
  );
}

/** A select for a row that can be invited; the file's text otherwise (e.g. an unknown role). */
function RoleCell({
  row,
  role,
  editable,
  onChange,
}: {
  row: PreviewRow;
  role: string;
  editable: boolean;
  onChange: (role: TenantRole) => void;
}) {
  if (!editable || !isRole(role))
    return <Text size="sm">{isRole(role) ? ROLE_LABELS[role] : role}</Text>;
  return (
    <NativeSelect
      size="xs"
      aria-label={`Role of ${row.email}`}
      data={ROLE_OPTIONS}
      value={role}
      onChange={(e) => {
        const value = e.currentTarget.value;
        if (isRole(value)) onChange(value);
      }}
    />
  );
}
