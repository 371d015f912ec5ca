import { z } from 'zod';
import type { BookingCore } from '../../booking-core/index.ts';
import { refusal } from './refusals.ts';
import { defineRoute, errorBody } from './route.ts';
import {
  facilitiesQuery,
  facilityOut,
  idParams,
  quoteBody,
  quoteOut,
  spaceKind,
  toFacilityOut,
  toQuoteOut,
  windowQuery,
} from './schemas.ts';

const notFound = { description: 'No such facility', schema: errorBody };
const invalid = { description: 'Invalid request (field-level errors)', schema: errorBody };

/** Facilities, availability and quotes. */
export const facilityRoutes = (core: BookingCore) => [
  defineRoute({
    method: 'get',
    path: '/facilities',
    summary: 'List facilities with free spaces now; nearest first with near=lat,lng',
    query: facilitiesQuery,
    responses: {
      200: { description: 'Facilities', schema: z.object({ facilities: z.array(facilityOut) }) },
      400: invalid,
    },
    handler: async ({ query }) => {
      const near = query.near ? { latitude: query.near[0], longitude: query.near[1] } : undefined;
      const list = await core.facilities.list({
        ...(near ? { near } : {}),
        ...(query.radiusKm ? { radiusKm: query.radiusKm } : {}),
      });
      return { status: 200, body: { facilities: list.map(toFacilityOut) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/facilities/:id',
    summary: 'One facility with its spaces',
    params: idParams,
    responses: { 200: { description: 'The facility', schema: facilityOut }, 404: notFound, 400: invalid },
    handler: async ({ params }) => {
      const facility = await core.facilities.get(params.id);
      if (!facility)
        return { status: 404, body: { code: 'FACILITY.NOT_FOUND', message: 'no such facility' } };
      const spaces = (await core.facilities.spaces(facility.id)).map(({ id, code, kind, level }) => ({
        id,
        code,
        kind,
        level,
      }));
      return { status: 200, body: { ...toFacilityOut(facility), spaces } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/facilities/:id/availability',
    summary:
      'Free spaces for a time window (and kind); windows that include now also exclude occupied spaces',
    params: idParams,
    query: windowQuery,
    responses: {
      200: {
        description: 'Free spaces and counts per kind',
        schema: z.object({
          facilityId: z.string(),
          from: z.string(),
          to: z.string(),
          kind: spaceKind.nullable(),
          free: z.int(),
          byKind: z.record(z.string(), z.object({ total: z.int(), free: z.int() })),
          spaces: z.array(
            z.object({ id: z.string(), code: z.string(), kind: spaceKind, level: z.string().nullable() }),
          ),
        }),
      },
      404: notFound,
      409: { description: 'Window refused (e.g. in the past)', schema: errorBody },
      400: invalid,
    },
    handler: async ({ params, query }) => {
      const r = await core.facilities.availability(
        params.id,
        { from: query.from, to: query.to },
        query.kind ?? null,
      );
      if (!r.ok) return refusal(r.error);
      const a = r.value;
      return {
        status: 200,
        body: {
          facilityId: a.facility.id,
          from: a.window.from.toISOString(),
          to: a.window.to.toISOString(),
          kind: a.kind,
          free: a.spaces.length,
          byKind: a.byKind,
          spaces: a.spaces.map(({ id, code, kind, level }) => ({ id, code, kind, level })),
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/quotes',
    summary: 'Price a stay: base rate × duration × demand multiplier (never above 3×)',
    body: quoteBody,
    responses: {
      200: { description: 'The quote, explained', schema: quoteOut },
      404: notFound,
      409: { description: 'Refused: too long, outside opening hours, in the past', schema: errorBody },
      400: invalid,
    },
    handler: async ({ body }) => {
      const r = await core.facilities.quote(
        body.facilityId,
        { from: body.from, to: body.to },
        body.kind ?? null,
      );
      return r.ok ? { status: 200, body: toQuoteOut(r.value) } : refusal(r.error);
    },
  }),
];
