/**
 * Phone numbers (DIDs): CRUD, routing target, the agents who may call out with each number, and
 * each agent's chosen caller ID. The call engine asks it who a call to a DID goes to and which
 * number an agent calls out with.
 */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import {
  destinationColumns,
  destinationOf,
  type Destination,
} from '../destinations/destination.js';
import { assertDestination } from '../destinations/exists.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { trunks } from '../trunks/schema.js';
import { agentCallerIds, phoneNumberAgents, phoneNumbers, type PhoneNumberRow } from './schema.js';

export interface PhoneNumberInput {
  number: string;
  name: string;
  prefix?: string | null | undefined;
  route?: Destination | null | undefined;
  maxChannels?: number | undefined;
  incomingPopupUrl?: string | null | undefined;
  answerPopupUrl?: string | null | undefined;
  display?: PhoneNumberRow['display'] | undefined;
  incomingMessage?: string | null | undefined;
  outgoingMessage?: string | null | undefined;
  trunkId?: number | null | undefined;
  language?: 'ja' | 'en' | undefined;
  agentIds?: number[] | undefined;
}

export interface PhoneNumberView extends PhoneNumberRow {
  route: Destination | null;
  agentIds: number[];
}

export interface PhoneNumberFilter extends PageQuery {
  number?: string | undefined;
  name?: string | undefined;
  prefix?: string | undefined;
}

export interface PhoneNumbersService {
  list(filter: PhoneNumberFilter): Page<PhoneNumberView>;
  get(id: number): PhoneNumberView;
  byNumber(number: string): PhoneNumberView | undefined;
  byPrefix(dialled: string): { number: PhoneNumberView; rest: string } | undefined;
  create(input: PhoneNumberInput, actor: string): PhoneNumberView;
  update(
    id: number,
    patch: Partial<Omit<PhoneNumberInput, 'number'>>,
    actor: string,
  ): PhoneNumberView;
  remove(id: number): void;
  /** The numbers the agent may call out with (§11-1 checklist). */
  numbersOfAgent(agentId: number): PhoneNumberView[];
  setNumbersOfAgent(agentId: number, phoneNumberIds: number[]): void;
  /** The agent's chosen caller ID; undefined = 外線発信禁止 (outbound calls forbidden). */
  callerIdOf(agentId: number): PhoneNumberView | undefined;
  chooseCallerId(agentId: number, phoneNumberId: number | null): void;
  /** How a number shows in a caller-ID list, per its display setting (表示). */
  label(number: PhoneNumberRow): string;
}

/** A DID's routing, as its row keeps it. */
const routeOf = (row: Pick<PhoneNumberRow, 'routeType' | 'routeTarget'>) =>
  destinationOf({ type: row.routeType, target: row.routeTarget });

function routeColumns(
  route: Destination | null,
): Pick<PhoneNumberRow, 'routeType' | 'routeTarget'> {
  const { type, target } = destinationColumns(route);
  return { routeType: type, routeTarget: target };
}

export function createPhoneNumbersService(db: Db, clock: Clock): PhoneNumbersService {
  function agentIdsOf(phoneNumberId: number): number[] {
    return db
      .select({ agentId: phoneNumberAgents.agentId })
      .from(phoneNumberAgents)
      .where(eq(phoneNumberAgents.phoneNumberId, phoneNumberId))
      .orderBy(asc(phoneNumberAgents.agentId))
      .all()
      .map((r) => r.agentId);
  }

  const view = (row: PhoneNumberRow): PhoneNumberView => ({
    ...row,
    route: routeOf(row),
    agentIds: agentIdsOf(row.id),
  });

  function getRow(id: number): PhoneNumberRow {
    const row = db.select().from(phoneNumbers).where(eq(phoneNumbers.id, id)).get();
    if (row === undefined) throw notFound('Phone number');
    return row;
  }

  function assertRefs(input: Partial<PhoneNumberInput>, selfId?: number): void {
    assertDestination(db, input.route);
    if (input.trunkId !== undefined && input.trunkId !== null) {
      if (
        db.select({ id: trunks.id }).from(trunks).where(eq(trunks.id, input.trunkId)).get() ===
        undefined
      ) {
        throw unprocessable('unknown_trunk', `There is no trunk ${input.trunkId}`);
      }
    }
    if (input.prefix !== undefined && input.prefix !== null) {
      const clash = db
        .select({ id: phoneNumbers.id })
        .from(phoneNumbers)
        .where(eq(phoneNumbers.prefix, input.prefix))
        .get();
      if (clash !== undefined && clash.id !== selfId)
        throw conflict('prefix_taken', `The prefix ${input.prefix} is in use`);
    }
    if (input.agentIds !== undefined && input.agentIds.length > 0) {
      const found = db
        .select({ id: agents.id })
        .from(agents)
        .where(inArray(agents.id, input.agentIds))
        .all().length;
      if (found !== new Set(input.agentIds).size)
        throw unprocessable('unknown_agent', 'Some agents do not exist');
    }
  }

  function replaceAgents(phoneNumberId: number, agentIds: number[]): void {
    db.delete(phoneNumberAgents).where(eq(phoneNumberAgents.phoneNumberId, phoneNumberId)).run();
    const unique = [...new Set(agentIds)];
    if (unique.length > 0)
      db.insert(phoneNumberAgents)
        .values(unique.map((agentId) => ({ phoneNumberId, agentId })))
        .run();
    // An agent who may no longer use the number loses it as caller ID.
    for (const choice of db
      .select()
      .from(agentCallerIds)
      .where(eq(agentCallerIds.phoneNumberId, phoneNumberId))
      .all()) {
      if (!unique.includes(choice.agentId)) {
        db.update(agentCallerIds)
          .set({ phoneNumberId: null })
          .where(eq(agentCallerIds.agentId, choice.agentId))
          .run();
      }
    }
  }

  const service: PhoneNumbersService = {
    list({ limit, offset, number, name, prefix }) {
      const conditions: (SQL | undefined)[] = [
        number === undefined ? undefined : contains(phoneNumbers.number, number),
        name === undefined ? undefined : contains(phoneNumbers.name, name),
        prefix === undefined ? undefined : contains(phoneNumbers.prefix, prefix),
      ];
      const where = and(...conditions);
      const rows = db
        .select()
        .from(phoneNumbers)
        .where(where)
        .orderBy(phoneNumbers.number)
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items: rows.map(view),
        total: countRows(db, phoneNumbers, where),
      };
    },
    get: (id) => view(getRow(id)),
    byNumber(number) {
      const row = db.select().from(phoneNumbers).where(eq(phoneNumbers.number, number)).get();
      return row === undefined ? undefined : view(row);
    },
    byPrefix(dialled) {
      for (const row of db.select().from(phoneNumbers).all()) {
        if (
          row.prefix !== null &&
          dialled.startsWith(row.prefix) &&
          dialled.length > row.prefix.length
        ) {
          return { number: view(row), rest: dialled.slice(row.prefix.length) };
        }
      }
      return undefined;
    },
    create(input, actor) {
      if (
        db
          .select({ id: phoneNumbers.id })
          .from(phoneNumbers)
          .where(eq(phoneNumbers.number, input.number))
          .get() !== undefined
      ) {
        throw conflict('number_taken', `The number ${input.number} exists`);
      }
      assertRefs(input);
      const { agentIds, route, ...fields } = input;
      return db.transaction(() => {
        const row = db
          .insert(phoneNumbers)
          .values({ ...fields, ...routeColumns(route ?? null), ...created(actor, clock.now()) })
          .returning()
          .get();
        if (agentIds !== undefined) replaceAgents(row.id, agentIds);
        return view(row);
      });
    },
    update(id, patch, actor) {
      getRow(id);
      assertRefs(patch, id);
      const { agentIds, route, ...fields } = patch;
      return db.transaction(() => {
        const row = db
          .update(phoneNumbers)
          .set({
            ...fields,
            ...(route !== undefined && routeColumns(route)),
            ...updated(actor, clock.now()),
          })
          .where(eq(phoneNumbers.id, id))
          .returning()
          .get();
        if (agentIds !== undefined) replaceAgents(id, agentIds);
        return view(row);
      });
    },
    remove(id) {
      getRow(id);
      db.delete(phoneNumbers).where(eq(phoneNumbers.id, id)).run();
    },
    numbersOfAgent(agentId) {
      return db
        .select({ n: phoneNumbers })
        .from(phoneNumberAgents)
        .innerJoin(phoneNumbers, eq(phoneNumbers.id, phoneNumberAgents.phoneNumberId))
        .where(eq(phoneNumberAgents.agentId, agentId))
        .orderBy(phoneNumbers.number)
        .all()
        .map((r) => view(r.n));
    },
    setNumbersOfAgent(agentId, ids) {
      if (
        ids.length > 0 &&
        db
          .select({ id: phoneNumbers.id })
          .from(phoneNumbers)
          .where(inArray(phoneNumbers.id, ids))
          .all().length !== new Set(ids).size
      ) {
        throw unprocessable('unknown_phone_number', 'Some phone numbers do not exist');
      }
      db.transaction(() => {
        db.delete(phoneNumberAgents).where(eq(phoneNumberAgents.agentId, agentId)).run();
        const unique = [...new Set(ids)];
        if (unique.length > 0)
          db.insert(phoneNumberAgents)
            .values(unique.map((phoneNumberId) => ({ phoneNumberId, agentId })))
            .run();
        const choice = db
          .select()
          .from(agentCallerIds)
          .where(eq(agentCallerIds.agentId, agentId))
          .get();
        if (choice?.phoneNumberId != null && !unique.includes(choice.phoneNumberId)) {
          db.update(agentCallerIds)
            .set({ phoneNumberId: null })
            .where(eq(agentCallerIds.agentId, agentId))
            .run();
        }
      });
    },
    callerIdOf(agentId) {
      const choice = db
        .select()
        .from(agentCallerIds)
        .where(eq(agentCallerIds.agentId, agentId))
        .get();
      if (choice?.phoneNumberId == null) return undefined;
      return view(getRow(choice.phoneNumberId));
    },
    chooseCallerId(agentId, phoneNumberId) {
      if (
        phoneNumberId !== null &&
        !service.numbersOfAgent(agentId).some((n) => n.id === phoneNumberId)
      ) {
        throw unprocessable(
          'number_not_permitted',
          'This number is not one the agent may call out with',
        );
      }
      db.insert(agentCallerIds)
        .values({ agentId, phoneNumberId })
        .onConflictDoUpdate({ target: agentCallerIds.agentId, set: { phoneNumberId } })
        .run();
    },
    label(number) {
      switch (number.display) {
        case 'name':
          return number.name;
        case 'number':
          return number.number;
        case 'number_name':
          return `${number.number}(${number.name})`;
      }
    },
  };
  return service;
}
