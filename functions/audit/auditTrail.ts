import { auditQuerySchema, readAuditDay } from '../../shared/audit/readAuditDay.js';
import { APP_ROLES } from '../../shared/auth/Caller.js';
import { httpFunction, registerHttpFunction } from '../../shared/functions/httpFunction.js';
import { validate } from '../../shared/validate.js';

/**
 * `GET /api/audit[?day=yyyy-mm-dd&top=100&skip=0]`: a page of one UTC day's audit trail (today by
 * default), newest first, with `nextLink` while there is more.
 */
export const auditTrail = httpFunction('auditTrail', {
  route: 'api/audit',
  methods: ['GET'],
  roles: [APP_ROLES.admin, APP_ROLES.approver],
  purpose: 'The audit trail',
  ports: (platform) => ({ records: platform.records, clock: platform.clock }),
  async handle({ query, ports: { records, clock } }) {
    const { day, top, skip } = validate(auditQuerySchema, Object.fromEntries(query));
    const page = await readAuditDay(records, day ?? clock.now().toISOString().slice(0, 10), {
      top,
      skip,
    });
    const next = skip + page.entries.length;
    return {
      status: 200,
      jsonBody: {
        day: page.day,
        total: page.total,
        value: page.entries,
        ...(next < page.total
          ? {
              nextLink: `/api/audit?${new URLSearchParams({ day: page.day, top: String(top), skip: String(next) })}`,
            }
          : {}),
      },
    };
  },
});

registerHttpFunction(auditTrail);
