/**
 * Trunks: CRUD, provisioning into Asterisk, and the choice of the trunk for an outbound call.
 * A change reaches Asterisk before it is stored (provisioning.ts `apply`): what Asterisk refuses
 * is not stored (422), what it cannot take now is stored and pending until it can.
 */
import { and, asc, eq } from 'drizzle-orm';
import { isIP } from 'node:net';
import { amiField, type AmiPort } from '../platform/asterisk/ami.js';
import type { Provisioner, ProvisioningState } from '../platform/asterisk/provisioning.js';
import type { SipEndpointSettings } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { SecretBox } from '../platform/secrets.js';
import { trunkEndpointId, trunkObjects, type TrunkSettings } from './pjsip.js';
import { trunks, type TrunkRow } from './schema.js';

export interface TrunkInput {
  name: string;
  host: string;
  port?: number | undefined;
  username?: string | null | undefined;
  secret?: string | null | undefined;
  register?: boolean | undefined;
  fromUser?: string | null | undefined;
  fromDomain?: string | null | undefined;
  matchAddresses?: string[] | undefined;
  codecs?: string[] | undefined;
  dtmfMode?: TrunkRow['dtmfMode'] | undefined;
  maxChannels?: number | undefined;
  priority?: number | undefined;
  enabled?: boolean | undefined;
}

/**
 * Where a trunk's registration to the carrier stands: `off` when it does not register, `unknown`
 * when Asterisk cannot be asked (AMI down) or does not know the registration.
 */
export const REGISTRATION_STATES = [
  'off',
  'registered',
  'unregistered',
  'rejected',
  'unknown',
] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

/** A trunk with where it stands in Asterisk. */
export interface TrunkView extends TrunkRow {
  provisioning: ProvisioningState;
}

export interface TrunksService {
  list(page: PageQuery): Page<TrunkView>;
  get(id: number): TrunkView;
  byEndpoint(endpointId: string): TrunkRow | undefined;
  /** The trunk for an outbound call: the given one if enabled, else the preferred enabled one. */
  outboundTrunk(preferredId: number | null): TrunkRow | undefined;
  create(input: TrunkInput, actor: string): Promise<TrunkView>;
  update(id: number, patch: Partial<TrunkInput>, actor: string): Promise<TrunkView>;
  remove(id: number): Promise<void>;
  /** The registration state of each trunk given, asked of Asterisk now. */
  registrationStates(rows: readonly TrunkRow[]): Promise<Map<number, RegistrationState>>;
}

export interface TrunksDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  provisioner: Provisioner;
  ami: AmiPort;
  sip: SipEndpointSettings;
}

export function createTrunksService(deps: TrunksDeps): TrunksService {
  // Read when the trunks by endpoint below are (re)built.
  const allTrunks = deps.db.select().from(trunks).prepare();
  /**
   * The trunks by their PJSIP endpoint, asked for every call's channel (is it a carrier's?):
   * kept in memory, dropped by every change the service makes (it is the trunks' only writer).
   */
  let byEndpointId: Map<string, TrunkRow> | null = null;
  const trunkOfEndpoint = (endpointId: string): TrunkRow | undefined => {
    byEndpointId ??= new Map(allTrunks.all().map((t) => [trunkEndpointId(t.name), t]));
    return byEndpointId.get(endpointId);
  };
  const { db, clock, secrets, provisioner, ami } = deps;
  const objectsOf = (t: TrunkSettings & Pick<TrunkRow, 'secretSealed'>) =>
    trunkObjects(t, t.secretSealed === null ? null : secrets.open(t.secretSealed), deps.sip);
  const view = (row: TrunkRow): TrunkView => ({
    ...row,
    provisioning: provisioner.state(trunkEndpointId(row.name)),
  });

  provisioner.addSource({
    name: 'trunks',
    desired: () => db.select().from(trunks).all().map(objectsOf),
  });

  function getRow(id: number): TrunkRow {
    const row = db.select().from(trunks).where(eq(trunks.id, id)).get();
    if (row === undefined) throw notFound('Trunk');
    return row;
  }

  function check(row: Pick<TrunkRow, 'register' | 'username'>, secretSealed: string | null): void {
    if (row.register && (row.username === null || secretSealed === null)) {
      throw unprocessable(
        'registration_needs_credentials',
        'Registering to the carrier needs a username and a secret',
      );
    }
  }

  /** Asterisk's outbound registrations by id (= the trunk's endpoint id); empty if AMI is down. */
  async function outboundRegistrations(): Promise<Map<string, string>> {
    try {
      const { events } = await ami.action(
        { Action: 'PJSIPShowRegistrationsOutbound' },
        { eventList: true },
      );
      return new Map(
        events.flatMap((e) => {
          const name = amiField(e, 'objectname');
          const status = amiField(e, 'status');
          return e.event === 'OutboundRegistrationDetail' && name !== undefined
            ? [[name, status ?? 'Unknown'] as const]
            : [];
        }),
      );
    } catch {
      return new Map();
    }
  }

  return {
    list({ limit, offset }) {
      const items = db
        .select()
        .from(trunks)
        .orderBy(asc(trunks.priority), asc(trunks.id))
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items: items.map(view),
        total: countRows(db, trunks),
      };
    },
    get: (id) => view(getRow(id)),
    byEndpoint: trunkOfEndpoint,
    outboundTrunk(preferredId) {
      if (preferredId !== null) {
        const preferred = db
          .select()
          .from(trunks)
          .where(and(eq(trunks.id, preferredId), eq(trunks.enabled, true)))
          .get();
        if (preferred !== undefined) return preferred;
      }
      return db
        .select()
        .from(trunks)
        .where(eq(trunks.enabled, true))
        .orderBy(asc(trunks.priority), asc(trunks.id))
        .get();
    },
    async create(input, actor) {
      if (
        db.select({ id: trunks.id }).from(trunks).where(eq(trunks.name, input.name)).get() !==
        undefined
      ) {
        throw conflict('trunk_name_taken', `A trunk named ${input.name} exists`);
      }
      const secretSealed =
        input.secret === undefined || input.secret === null ? null : secrets.seal(input.secret);
      const values = {
        name: input.name,
        host: input.host,
        port: input.port ?? 5060,
        username: input.username ?? null,
        secretSealed,
        register: input.register ?? false,
        fromUser: input.fromUser ?? null,
        fromDomain: input.fromDomain ?? null,
        matchAddresses: input.matchAddresses ?? (isIP(input.host) === 0 ? [] : [input.host]),
        codecs: input.codecs ?? ['ulaw', 'alaw'],
        dtmfMode: input.dtmfMode ?? 'rfc4733',
        maxChannels: input.maxChannels ?? 0,
        priority: input.priority ?? 0,
        enabled: input.enabled ?? true,
      };
      check(values, secretSealed);
      // Into Asterisk first: a trunk Asterisk refuses is not stored at all.
      await provisioner.apply(objectsOf(values));
      const row = db
        .insert(trunks)
        .values({ ...values, ...created(actor, clock.now()) })
        .returning()
        .get();
      byEndpointId = null;
      return view(row);
    },
    async update(id, patch, actor) {
      const before = getRow(id);
      if (patch.name !== undefined && patch.name !== before.name) {
        throw unprocessable('trunk_name_fixed', 'A trunk keeps its name; create a new one instead');
      }
      const secretSealed =
        patch.secret === undefined
          ? before.secretSealed
          : patch.secret === null
            ? null
            : secrets.seal(patch.secret);
      const { secret: _secret, ...rest } = patch;
      const next = {
        ...before,
        ...Object.fromEntries(
          (Object.entries(rest) as [string, unknown][]).filter(([, v]) => v !== undefined),
        ),
        secretSealed,
      };
      check(next, secretSealed);
      await provisioner.apply(objectsOf(next), objectsOf(before));
      const row = db
        .update(trunks)
        .set({ ...next, id: before.id, ...updated(actor, clock.now()) })
        .where(eq(trunks.id, id))
        .returning()
        .get();
      byEndpointId = null;
      return view(row);
    },
    async remove(id) {
      const row = getRow(id);
      db.delete(trunks).where(eq(trunks.id, id)).run();
      byEndpointId = null;
      await provisioner.remove(trunkEndpointId(row.name));
    },
    async registrationStates(rows) {
      const registering = rows.filter((t) => t.register);
      const asterisk =
        registering.length === 0 ? new Map<string, string>() : await outboundRegistrations();
      return new Map(
        rows.map((t) => [
          t.id,
          t.register ? registrationStateOf(asterisk.get(trunkEndpointId(t.name))) : 'off',
        ]),
      );
    },
  };
}

function registrationStateOf(status: string | undefined): RegistrationState {
  switch (status) {
    case 'Registered':
      return 'registered';
    case 'Unregistered':
      return 'unregistered';
    case 'Rejected':
      return 'rejected';
    default:
      return 'unknown';
  }
}
