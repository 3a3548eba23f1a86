// The behaviour every store must show through the HTTP API; run against the fs store
// (intake-fs.test.ts) and PostgreSQL (intake-pg.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningIntake } from './intake.ts';
import { abortedUpload, body, call, newKey, rawRequest, rawUploadHead, sha256, TEST_TOKENS as T, upload } from './testing.ts';

/** Small limit so oversize tests stay fast; the default is 32 MiB. */
export const CONTRACT_MAX_BYTES = 256 * 1024;

export function intakeContract(label: RunningIntake['store']['kind'], start: () => Promise<RunningIntake>, variant = ''): void {
  describe(`intake API (${label} store${variant})`, () => {
    let intake: RunningIntake;
    let u: string;
    const count = async (token: string = T.ex) => (await call(u, 'GET', '/reports?limit=1000', { token })).json.total as number;

    beforeAll(async () => {
      intake = await start();
      u = intake.url;
    });
    afterAll(async () => {
      await intake?.close(500);
    });

    it('reports health without a token', async () => {
      const r = await call(u, 'GET', '/healthz');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ status: 'ok', store: label });
    });

    it('accepts a report, then serves its metadata and exact bytes', async () => {
      const b = body(100_000);
      const r = await upload(u, b.bytes, { token: T.m1, title: 'Báo cáo tháng 10 — GDP' });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ agency: 'ministry-01', sha256: b.sha256, size: 100_000, status: 'submitted', title: 'Báo cáo tháng 10 — GDP' });
      expect(r.headers.location).toBe(`/reports/${r.json.id}`);
      const meta = await call(u, 'GET', `/reports/${r.json.id}`, { token: T.m1 });
      expect(meta.json).toEqual(r.json);
      const content = await call(u, 'GET', `/reports/${r.json.id}/content`, { token: T.m1 });
      expect(content.status).toBe(200);
      expect(content.headers['x-report-sha256']).toBe(b.sha256);
      expect(sha256(content.body)).toBe(b.sha256);
    });

    it('accepts chunked uploads and answers 100-continue', async () => {
      const b = body(50_000);
      const chunked = await upload(u, b.bytes, { token: T.m1, chunked: true });
      expect(chunked.status).toBe(201);
      const cont = await upload(u, b.bytes, { token: T.m1, expectContinue: true });
      expect(cont.status).toBe(201);
      expect(cont.json.sha256).toBe(b.sha256);
    });

    describe('idempotency keys (scoped per agency)', () => {
      it('replays the same answer for the same key and body, storing nothing new', async () => {
        const b = body(20_000);
        const key = newKey();
        const first = await upload(u, b.bytes, { token: T.m1, key });
        expect(first.status).toBe(201);
        const before = await count();
        const again = await upload(u, b.bytes, { token: T.m1, key });
        expect(again.status).toBe(200);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.json).toEqual(first.json);
        expect(await count()).toBe(before);
      });

      it('refuses the same key with a different body (409), keeping the first report', async () => {
        const key = newKey();
        const first = await upload(u, body(10_000).bytes, { token: T.m1, key });
        const other = await upload(u, body(10_000).bytes, { token: T.m1, key });
        expect(other.status).toBe(409);
        expect(other.json.error).toBe('idempotency_conflict');
        expect(other.json.message).toContain(first.json.id);
        expect((await call(u, 'GET', `/reports/${first.json.id}`, { token: T.m1 })).json.sha256).toBe(first.json.sha256);
      });

      it('treats the same key from another agency as a new report', async () => {
        const b = body(10_000);
        const key = newKey();
        const a = await upload(u, b.bytes, { token: T.m1, key });
        const c = await upload(u, b.bytes, { token: T.m2, key });
        expect(a.status).toBe(201);
        expect(c.status).toBe(201);
        expect(c.json.id).not.toBe(a.json.id);
        expect(c.json.agency).toBe('ministry-02');
      });

      it('checks a replayed body against its checksum (422 when it does not match)', async () => {
        const b = body(10_000);
        const key = newKey();
        await upload(u, b.bytes, { token: T.m1, key });
        const lie = await upload(u, body(10_000).bytes, { token: T.m1, key, sha256: b.sha256 });
        expect(lie.status).toBe(422);
      });

      it('commits concurrent uploads with one key once', async () => {
        const b = body(200_000);
        const key = newKey();
        const before = await count();
        const replies = await Promise.all([1, 2, 3].map(() => upload(u, b.bytes, { token: T.p1, key })));
        const statuses = replies.map((r) => r.status).sort();
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        for (const s of statuses) expect([200, 201, 409]).toContain(s);
        expect(await count()).toBe(before + 1);
      });
    });

    describe('bad input stores nothing', () => {
      it('413 when Content-Length is over the limit', async () => {
        const before = await count();
        const r = await upload(u, body(CONTRACT_MAX_BYTES + 1).bytes, { token: T.m1 });
        expect(r.status).toBe(413);
        expect(r.json.error).toBe('too_large');
        const cont = await upload(u, body(CONTRACT_MAX_BYTES + 1).bytes, { token: T.m1, expectContinue: true });
        expect(cont.status).toBe(413);
        expect(await count()).toBe(before);
      });

      it('413 when a chunked body grows over the limit', async () => {
        const before = await count();
        const r = await upload(u, body(CONTRACT_MAX_BYTES * 3).bytes, { token: T.m1, chunked: true });
        expect(r.status).toBe(413);
        expect(r.json.message).toMatch(/exceeds \d+ bytes; nothing was stored/);
        expect(await count()).toBe(before);
      });

      it('accepts a body of exactly the limit', async () => {
        expect((await upload(u, body(CONTRACT_MAX_BYTES).bytes, { token: T.m1 })).status).toBe(201);
      });

      it('422 on a checksum mismatch', async () => {
        const before = await count();
        const b = body(30_000);
        const r = await upload(u, b.bytes, { token: T.m1, sha256: sha256(Buffer.from('something else')) });
        expect(r.status).toBe(422);
        expect(r.json).toMatchObject({ error: 'checksum_mismatch' });
        expect(r.json.message).toContain(b.sha256);
        expect(await count()).toBe(before);
      });

      it('leaves nothing visible after an aborted upload', async () => {
        const before = await count();
        await abortedUpload(u, T.m1, body(200_000).bytes, 60_000);
        await new Promise((r) => setTimeout(r, 100));
        expect(await count()).toBe(before);
        expect((await call(u, 'GET', '/healthz')).status).toBe(200);
      });

      it('401 without a valid bearer token', async () => {
        const b = body(1000);
        for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer not-a-known-token-at-all' }] as Array<Record<string, string>>) {
          const r = await upload(u, b.bytes, { headers });
          expect(r.status).toBe(401);
          expect(r.headers['www-authenticate']).toContain('Bearer');
          expect(r.json.message).toMatch(/Authorization/);
        }
        expect((await call(u, 'GET', '/reports')).status).toBe(401);
      });

      it('400 with what was expected for malformed headers', async () => {
        const b = body(1000);
        const cases: Array<[Parameters<typeof upload>[2], RegExp]> = [
          [{ token: T.m1, sha256: '' }, /missing header X-Report-SHA256/],
          [{ token: T.m1, sha256: 'abc123' }, /X-Report-SHA256: expected 64 hex digits/],
          [{ token: T.m1, key: '' }, /missing header Idempotency-Key/],
          [{ token: T.m1, headers: { 'idempotency-key': 'x'.repeat(201) } }, /Idempotency-Key: expected 1-200/],
          [{ token: T.m1, headers: { 'x-report-title': '%E0%A4%A' } }, /X-Report-Title: expected percent-encoded UTF-8/],
        ];
        for (const [o, msg] of cases) {
          const r = await upload(u, b.bytes, o);
          expect(r.status, String(msg)).toBe(400);
          expect(r.json.message).toMatch(msg);
        }
        const empty = await upload(u, Buffer.alloc(0), { token: T.m1, sha256: sha256(Buffer.alloc(0)) });
        expect(empty.status).toBe(400);
        expect(empty.json.error).toBe('empty_body');
      });

      it('400 for a bad id or query, 404 for an unknown route, 405 for a wrong method', async () => {
        const badId = await call(u, 'GET', '/reports/not-an-id', { token: T.m1 });
        expect(badId.status).toBe(400);
        expect(badId.json.message).toMatch(/expected a lower-case UUID/);
        for (const q of ['status=lost', 'limit=0', 'limit=x', 'agency=Bad%20Agency', 'colour=red', 'q=']) {
          const r = await call(u, 'GET', `/reports?${q}`, { token: T.ex });
          expect(r.status, q).toBe(400);
          expect(r.json.message, q).toMatch(/expected/);
        }
        const nf = await call(u, 'GET', '/reprots', { token: T.m1 });
        expect(nf.status).toBe(404);
        expect(nf.json.message).toMatch(/no route GET \/reprots/);
        const m = await call(u, 'PUT', '/reports', { token: T.m1 });
        expect(m.status).toBe(405);
        expect(m.headers.allow).toBe('GET, POST');
      });
    });

    describe('hostile requests: refused, nothing stored', () => {
      const b = Buffer.from('a report of exactly forty-two bytes .....');

      it('refuses a repeated X-Report-Title or Authorization instead of joining or picking one', async () => {
        const before = await count();
        for (const [extra, what] of [
          [['X-Report-Title: one', 'X-Report-Title: two'], 'X-Report-Title'],
          [[`Authorization: Bearer ${T.m2}`], 'Authorization'],
        ] as const) {
          const r = await rawRequest(u, rawUploadHead(T.m1, b, [...extra, `Content-Length: ${b.length}`]) + b.toString());
          expect(r.status, what).toBe(400);
          expect(JSON.parse(r.body).message).toMatch(new RegExp(`header ${what}: expected once, got it 2 times`));
        }
        expect(await count()).toBe(before);
      });

      it('refuses a title sent as raw UTF-8 bytes (it must be percent-encoded)', async () => {
        const before = await count();
        const head = Buffer.from(rawUploadHead(T.m1, b, ['X-Report-Title: Báo cáo', `Content-Length: ${b.length}`]), 'utf8');
        const r = await rawRequest(u, Buffer.concat([head, b]));
        expect(r.status).toBe(400);
        expect(JSON.parse(r.body).message).toMatch(/X-Report-Title: expected percent-encoded UTF-8/);
        expect(await count()).toBe(before);
        const ok = await upload(u, b, { token: T.m1, title: 'Báo cáo' });
        expect(ok.json.title).toBe('Báo cáo');
      });

      it('400 for a list query with a NUL or other control character', async () => {
        for (const q of ['q=a%00b', 'q=%00', 'q=x%1Fy', 'agency=ministry-01%00']) {
          const r = await call(u, 'GET', `/reports?${q}`, { token: T.ex });
          expect(r.status, q).toBe(400);
          expect(r.json.error, q).toBe('bad_query');
          expect(r.json.message, q).not.toContain('\u0000');
        }
      });

      it('refuses request-smuggling framings (obs-fold, unknown or doubled Transfer-Encoding, TE with CL) and keeps nothing', async () => {
        const before = await count();
        const chunk = `${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`;
        const shapes: Array<[string, string[], string]> = [
          ['obs-fold', ['Transfer-Encoding: chunked', ' x'], chunk],
          ['obs-fold title', ['X-Report-Title: a', ' b', `Content-Length: ${b.length}`], b.toString()],
          ['TE gzip', ['Transfer-Encoding: gzip'], b.toString()],
          ['TE gzip, chunked', ['Transfer-Encoding: gzip, chunked'], chunk],
          ['TE chunked, gzip', ['Transfer-Encoding: chunked, gzip'], b.toString()],
          ['TE twice', ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'], chunk],
          ['TE and CL', ['Transfer-Encoding: chunked', `Content-Length: ${b.length}`], chunk],
          ['CL twice, different', [`Content-Length: ${b.length}`, 'Content-Length: 3'], b.toString()],
          ['TE identity', ['Transfer-Encoding: identity'], b.toString()],
          ['space before colon', ['Transfer-Encoding : chunked'], chunk],
          ['no length at all', [], b.toString()],
        ];
        for (const [name, extra, rest] of shapes) {
          const r = await rawRequest(u, rawUploadHead(T.m1, b, extra) + rest);
          expect(r.status, name).toBe(400);
        }
        expect(await count()).toBe(before);
      });
    });

    describe('agencies and examiners', () => {
      let mine: { id: string; sha256: string };

      beforeAll(async () => {
        mine = (await upload(u, body(5000).bytes, { token: T.m2, title: 'Province budget Q3' })).json;
      });

      it('never shows one agency the reports of another', async () => {
        for (const path of [`/reports/${mine.id}`, `/reports/${mine.id}/content`]) {
          const r = await call(u, 'GET', path, { token: T.m1 });
          expect(r.status, path).toBe(404);
          expect(r.body.toString()).not.toContain(mine.sha256);
        }
        expect((await call(u, 'DELETE', `/reports/${mine.id}`, { token: T.m1 })).status).toBe(404);
        expect((await call(u, 'GET', `/reports/${mine.id}`, { token: T.m2 })).json.status).toBe('submitted');
        const listed = await call(u, 'GET', '/reports?limit=1000', { token: T.m1 });
        expect(listed.json.reports.every((r: { agency: string }) => r.agency === 'ministry-01')).toBe(true);
        const other = await call(u, 'GET', '/reports?agency=ministry-02', { token: T.m1 });
        expect(other.status).toBe(403);
      });

      it('lets examiners list, filter, search and read every agency', async () => {
        const all = await call(u, 'GET', '/reports?limit=1000', { token: T.ex });
        const agencies = new Set(all.json.reports.map((r: { agency: string }) => r.agency));
        expect(agencies).toEqual(new Set(['ministry-01', 'ministry-02', 'province-01']));
        const m2 = await call(u, 'GET', '/reports?agency=ministry-02&limit=1000', { token: T.ex });
        expect(m2.json.reports.length).toBeGreaterThan(0);
        expect(m2.json.reports.every((r: { agency: string }) => r.agency === 'ministry-02')).toBe(true);
        const found = await call(u, 'GET', `/reports?q=${encodeURIComponent('budget q3')}`, { token: T.ex });
        expect(found.json.reports.map((r: { id: string }) => r.id)).toEqual([mine.id]);
        const content = await call(u, 'GET', `/reports/${mine.id}/content`, { token: T.ex });
        expect(sha256(content.body)).toBe(mine.sha256);
        const page = await call(u, 'GET', '/reports?limit=2&offset=1', { token: T.ex });
        expect(page.json.reports).toHaveLength(2);
        expect(page.json.reports[0].id).toBe(all.json.reports[1].id);
        expect(page.json.total).toBe(all.json.total);
      });

      it('lets only examiners decide and only agencies submit or withdraw', async () => {
        expect((await upload(u, body(100).bytes, { token: T.ex })).status).toBe(403);
        expect((await call(u, 'DELETE', `/reports/${mine.id}`, { token: T.ex })).status).toBe(403);
        const byAgency = await call(u, 'POST', `/reports/${mine.id}/decision`, { token: T.m2, body: '{"decision":"approved"}' });
        expect(byAgency.status).toBe(403);
      });

      it('moves reports through submitted -> approved | rejected | withdrawn', async () => {
        const bad = await call(u, 'POST', `/reports/${mine.id}/decision`, { token: T.ex, body: '{"decision":' });
        expect(bad.status).toBe(400);
        expect(bad.json.error).toBe('bad_json');
        const wrong = await call(u, 'POST', `/reports/${mine.id}/decision`, { token: T.ex, body: '{"decision":"maybe"}' });
        expect(wrong.status).toBe(400);
        expect(wrong.json.message).toMatch(/approved/);

        const nul = await call(u, 'POST', `/reports/${mine.id}/decision`, { token: T.ex, body: '{"decision":"approved","comment":"a\\u0000b"}' });
        expect(nul.status).toBe(400);
        expect(nul.json.message).toMatch(/comment: expected text without control characters/);
        const ok = await call(u, 'POST', `/reports/${mine.id}/decision`, { token: T.ex, body: '{"decision":"approved","comment":"complete"}' });
        expect(ok.status).toBe(200);
        expect(ok.json).toMatchObject({ status: 'approved', comment: 'complete' });
        expect((await call(u, 'DELETE', `/reports/${mine.id}`, { token: T.m2 })).status).toBe(409);

        const w = (await upload(u, body(100).bytes, { token: T.m2 })).json;
        const gone = await call(u, 'DELETE', `/reports/${w.id}`, { token: T.m2 });
        expect(gone.status).toBe(200);
        expect(gone.json.status).toBe('withdrawn');
        expect((await call(u, 'DELETE', `/reports/${w.id}`, { token: T.m2 })).json.status).toBe('withdrawn');
        const late = await call(u, 'POST', `/reports/${w.id}/decision`, { token: T.ex, body: '{"decision":"rejected"}' });
        expect(late.status).toBe(409);
        const withdrawn = await call(u, 'GET', '/reports?status=withdrawn', { token: T.m2 });
        expect(withdrawn.json.reports.map((r: { id: string }) => r.id)).toEqual([w.id]);
      });
    });
  });
}
