/**
 * `create`: new records as Kustomer makes them. A customer (by an agent or the API), an inbound conversation with
 * its first message, a message on a live conversation, a note, a company, a KObject; each with the parent's summary
 * fields moved and the audit entries Kustomer writes.
 */
import { objectId } from '../random';
import {
  type CustomerContact,
  ConvRels,
  PATHS,
  buildCompany,
  buildCustomer,
  buildKObject,
  buildNote,
  contactOf,
  drawIdentity,
  emptyActivity,
  relTo,
} from '../generate';
import { addMessage, newConversation } from './conversation-activity';
import { change, findById, noChanges, notDeleted } from './records';
import { relId } from '../relationships';
import type { Core, Mut } from './working-state';

/** Creates one record; false when there is nothing to attach it to (the remaining creates are skipped). */
type Creator = (m: Mut) => boolean;

const createCustomer: Creator = (m) => {
  const rng = m.rng;
  const id = objectId(rng, m.nowMs);
  const cos = rng.chance(0.5) ? m.data.companies.filter(notDeleted) : [];
  const co = cos.length > 0 ? rng.pick(cos) : null;
  const company = co ? { id: co.id, name: String(co.attributes.name), rel: relTo('company', co.id, PATHS.company + co.id) } : null;
  const agent = rng.chance(0.5) ? m.agent() : null;
  const res = buildCustomer(m.ctx, {
    id,
    identity: drawIdentity(rng),
    createdMs: m.nowMs,
    updatedMs: m.nowMs,
    modifiedMs: m.nowMs,
    importedMs: null,
    company,
    activity: emptyActivity(),
    createdBy: agent ? agent.rel : m.ctx.machine.rel,
    channels: [],
  });
  m.data.customers.push(res);
  m.sum.cre('customers', id);
  m.audit('create', 'customer', id, agent ?? m.ctx.machine, noChanges(), id, agent ? 'kustomer-web' : 'api');
  return true;
};

const createConversation: Creator = (m) => {
  const rng = m.rng;
  const [cust] = m.pick(m.data.customers, 1);
  if (!cust) return false;
  const channel = rng.weighted(['email', 'chat', 'sms', 'whatsapp'], [6, 3, 1, 1]);
  const subject = channel === 'email' ? rng.pick(['New order question', 'Où est ma commande ?', 'Problem with my account 😩', '至急対応お願いします']) : null;
  newConversation(m, cust, 'in', channel, subject, rng.chance(0.5) ? m.agent() : null);
  return true;
};

const createMessage: Creator = (m) => {
  const d = m.data;
  const [conv] = m.pick(d.conversations, 1, notDeleted);
  if (!conv) return false;
  const cust = findById(d.customers, relId(conv, 'customer'));
  if (!cust) return false;
  const dir = conv.attributes.lastMessageDirection === 'in' ? 'out' : 'in';
  const channels = (conv.attributes.channels as string[] | undefined) ?? [];
  const agent = dir === 'out' ? m.agent() : null;
  addMessage(m, conv, cust, dir, channels[0] ?? 'email', (conv.attributes.name as string | null) ?? null, agent);
  return true;
};

const createNote: Creator = (m) => {
  const d = m.data;
  const [conv] = m.pick(d.conversations, 1, notDeleted);
  if (!conv) return false;
  const custId = relId(conv, 'customer');
  const cust = findById(d.customers, custId);
  const contact = cust ? contactOf(cust) : contactOfId(custId ?? conv.id);
  const convRel = relTo('conversation', conv.id, PATHS.conversation + conv.id);
  const agent = m.agent();
  const id = objectId(m.rng, m.nowMs);
  d.notes.push(buildNote(m.ctx, { id, customer: contact, rels: new ConvRels(m.ctx, contact.rel, convRel), createdMs: m.nowMs, updatedMs: m.nowMs, importedMs: null, deletedMs: null, agent }));
  m.sum.cre('notes', id);
  const before = Number(conv.attributes.noteCount ?? 0);
  conv.attributes.noteCount = before + 1;
  conv.attributes.lastActivityAt = m.nowIso;
  m.bump(conv, agent);
  m.sum.upd('conversations', conv.id);
  m.audit('update', 'conversation', conv.id, agent, change('noteCount', before, before + 1), custId);
  return true;
};

const createCompany: Creator = (m) => {
  const id = objectId(m.rng, m.nowMs);
  const res = buildCompany(m.ctx, { id, createdMs: m.nowMs, updatedMs: m.nowMs, importedMs: null, deletedMs: null });
  res.attributes.modifiedAt = m.nowIso;
  m.data.companies.push(res);
  m.sum.cre('companies', id);
  m.audit('create', 'company', id, m.agent(), noChanges(), null, 'api');
  return true;
};

const createKObject: Creator = (m) => {
  const [cust] = m.pick(m.data.customers, 1);
  if (!cust || m.ctx.klasses.length === 0) return false;
  const id = objectId(m.rng, m.nowMs);
  m.data.kobjects.push(buildKObject(m.ctx, { id, klass: m.rng.pick(m.ctx.klasses), customer: contactOf(cust), createdMs: m.nowMs, updatedMs: m.nowMs, importedMs: null }));
  m.sum.cre('kobjects', id);
  return true;
};

const CREATORS: Record<Core, Creator> = {
  customers: createCustomer,
  conversations: createConversation,
  messages: createMessage,
  notes: createNote,
  companies: createCompany,
  kobjects: createKObject,
};

export function doCreate(m: Mut, c: Core, count: number): void {
  const create = CREATORS[c];
  for (let i = 0; i < Math.max(0, Math.floor(count)); i++) if (!create(m)) return;
}

/** The contact of a customer that is no longer stored: its id and nothing else. */
function contactOfId(id: string): CustomerContact {
  return { id, rel: relTo('customer', id, PATHS.customer + id), name: null, email: null, phone: null, companyId: null, companyRel: null, companyName: null };
}

