import { useEffect, useState } from 'preact/hooks';
import { ROLES, type Role } from '../api/admin';
import { errorText } from '../api/api-error';
import { type Group, listGroups } from '../api/groups';
import {
  createRule,
  deleteRule,
  type LinkPolicyLimits,
  type LinkPolicyRule,
  listRules,
  type RuleSubject,
  updateRule,
} from '../api/link-policies';
import { DataTable } from '../components/data-table';
import { RowAction } from '../components/row-action';
import { SectionStatus } from '../components/section-status';
import { useManagedList } from '../components/security/use-managed-list';
import { field } from '../form-field';
import { messages } from '../messages';

const m = messages.admin.linkPolicies;
const DAY_SECONDS = 86_400;

/** Admins: the link and share limits of each role and group; the strictest applicable one wins. */
export function AdminLinkPoliciesPage() {
  const { items: rules, error, notice, busy, run } = useManagedList(listRules);
  const [groups, setGroups] = useState<Group[]>([]);
  const [groupError, setGroupError] = useState<string>();
  const [editing, setEditing] = useState<LinkPolicyRule>();
  // A saved new rule starts a fresh, empty form.
  const [formVersion, setFormVersion] = useState(0);

  useEffect(() => {
    listGroups().then(setGroups, (caught: unknown) => setGroupError(errorText(caught)));
  }, []);

  const subjectOf = (rule: LinkPolicyRule) =>
    rule.role
      ? m.role(messages.admin.users.roles[rule.role])
      : m.group(groups.find((group) => group.id === rule.groupId)?.name ?? m.unknownGroup);

  const save = (rule: LinkPolicyRule | undefined, subject: RuleSubject, limits: LinkPolicyLimits) =>
    run(async () => {
      const saved = rule ? await updateRule(rule.id, limits) : await createRule(subject, limits);
      setEditing(undefined);
      setFormVersion((version) => version + 1);
      return m.saved(subjectOf(saved));
    });

  return (
    <section>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <SectionStatus error={error ?? groupError} notice={notice} />
      <DataTable
        rows={rules}
        rowKey={(rule) => rule.id}
        rowTestId="policy-row"
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          { header: m.appliesTo, kind: 'name', cell: subjectOf },
          {
            header: m.maxExpiry,
            cell: (rule) =>
              rule.maxTtlSeconds === null
                ? m.unset
                : m.days(Math.floor(rule.maxTtlSeconds / DAY_SECONDS)),
          },
          {
            header: m.password,
            cell: (rule) => choice(rule.requirePassword, m.required, m.optional),
          },
          { header: m.maxDownloads, kind: 'num', cell: (rule) => rule.maxDownloads ?? m.unset },
          {
            header: m.publicLinks,
            cell: (rule) => choice(rule.publicLinks, m.allowed, m.forbidden),
          },
          {
            header: m.domains,
            cell: (rule) => rule.allowedRecipientDomains?.join(', ') ?? m.unset,
          },
          {
            header: m.actions,
            kind: 'actions',
            cell: (rule) => {
              const subject = subjectOf(rule);
              return (
                <>
                  <RowAction label={m.editLabel(subject)} onClick={() => setEditing(rule)}>
                    {m.edit}
                  </RowAction>
                  <RowAction
                    label={m.removeLabel(subject)}
                    tone="danger"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        await deleteRule(rule.id);
                        if (editing?.id === rule.id) setEditing(undefined);
                        return m.removed(subject);
                      })
                    }
                  >
                    {m.remove}
                  </RowAction>
                </>
              );
            },
          },
        ]}
      />
      <RuleForm
        key={editing?.id ?? `new-${formVersion}`}
        rule={editing}
        title={editing ? m.editTitle(subjectOf(editing)) : m.newTitle}
        groups={groups}
        busy={busy}
        onSave={(subject, limits) => void save(editing, subject, limits)}
        onCancel={editing ? () => setEditing(undefined) : undefined}
      />
    </section>
  );
}

function choice(value: boolean | null, yes: string, no: string): string {
  return value === null ? m.unset : value ? yes : no;
}

const tristate = (value: boolean | null) => (value === null ? '' : String(value));
const fromTristate = (text: string) => (text === '' ? null : text === 'true');

/** A whole number of 1 or more, null for an empty field, undefined for anything else. */
function positiveOrNull(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** A new rule (its role or group, then its limits) or the limits of an existing one. */
function RuleForm(props: {
  rule?: LinkPolicyRule;
  title: string;
  groups: Group[];
  busy: boolean;
  onSave: (subject: RuleSubject, limits: LinkPolicyLimits) => void;
  onCancel?: () => void;
}) {
  const { rule } = props;
  const [invalid, setInvalid] = useState(false);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const days = positiveOrNull(field(data, 'maxDays'));
    const maxDownloads = positiveOrNull(field(data, 'maxDownloads'));
    setInvalid(days === undefined || maxDownloads === undefined);
    if (days === undefined || maxDownloads === undefined) return;
    const domains = field(data, 'domains')
      .split(/[\s,]+/)
      .filter((domain) => domain !== '');
    const [kind, id] = field(data, 'subject').split(':');
    props.onSave(kind === 'role' ? { role: id as Role } : { groupId: id }, {
      maxTtlSeconds: days === null ? null : days * DAY_SECONDS,
      requirePassword: fromTristate(field(data, 'requirePassword')),
      maxDownloads,
      publicLinks: fromTristate(field(data, 'publicLinks')),
      allowedRecipientDomains: domains.length > 0 ? domains : null,
    });
  };

  return (
    <form class="card wide" aria-labelledby="rule-form-title" onSubmit={submit}>
      <h2 id="rule-form-title">{props.title}</h2>
      {!rule && (
        <>
          <label for="rule-subject">{m.subject}</label>
          <select id="rule-subject" name="subject" required>
            <optgroup label={m.roles}>
              {ROLES.map((role) => (
                <option key={role} value={`role:${role}`}>
                  {m.role(messages.admin.users.roles[role])}
                </option>
              ))}
            </optgroup>
            {props.groups.length > 0 && (
              <optgroup label={m.groups}>
                {props.groups.map((group) => (
                  <option key={group.id} value={`group:${group.id}`}>
                    {m.group(group.name)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </>
      )}
      <label for="rule-days">{m.maxExpiryDays}</label>
      <input
        id="rule-days"
        name="maxDays"
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        aria-describedby="rule-numbers-hint"
        defaultValue={
          rule?.maxTtlSeconds ? String(Math.floor(rule.maxTtlSeconds / DAY_SECONDS)) : ''
        }
      />
      <label for="rule-downloads">{m.maxDownloadsField}</label>
      <input
        id="rule-downloads"
        name="maxDownloads"
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        aria-describedby="rule-numbers-hint"
        defaultValue={rule?.maxDownloads ? String(rule.maxDownloads) : ''}
      />
      <small
        id="rule-numbers-hint"
        class={invalid ? 'hint error' : 'hint'}
        role={invalid ? 'alert' : undefined}
      >
        {invalid ? m.invalidNumber : ''}
      </small>
      <label for="rule-password">{m.passwordField}</label>
      <select
        id="rule-password"
        name="requirePassword"
        defaultValue={tristate(rule?.requirePassword ?? null)}
      >
        <option value="">{m.choiceUnset}</option>
        <option value="true">{m.passwordRequired}</option>
        <option value="false">{m.passwordOptional}</option>
      </select>
      <label for="rule-public">{m.publicLinksField}</label>
      <select
        id="rule-public"
        name="publicLinks"
        defaultValue={tristate(rule?.publicLinks ?? null)}
      >
        <option value="">{m.choiceUnset}</option>
        <option value="true">{m.publicAllowed}</option>
        <option value="false">{m.publicForbidden}</option>
      </select>
      <label for="rule-domains">{m.domainsField}</label>
      <input
        id="rule-domains"
        name="domains"
        type="text"
        autoComplete="off"
        defaultValue={rule?.allowedRecipientDomains?.join(', ') ?? ''}
      />
      <div class="row start">
        {props.onCancel && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            {m.cancel}
          </button>
        )}
        <button type="submit" disabled={props.busy}>
          {m.save}
        </button>
      </div>
    </form>
  );
}
