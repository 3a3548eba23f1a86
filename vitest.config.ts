import { defineConfig } from 'vitest/config';

// Timeouts catch a hung test; they are not speed checks (those live in `npm run bench:*`).
// They are sized for a 2-core machine busy with other work, where a test takes many times
// as long as on an idle one (pki.test.ts's first play: 467 and 568 s at load average 18–37): a
// test that drives a real component (an Ansible play 900 s, the Patroni lab 600 s,
// PostgreSQL, Chromium) sets its own, larger timeout where it is written.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'cdktf.out/**', 'k6/dist/**'],
    // Drills and crash tests start real servers; two cores do not gain from more workers.
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
