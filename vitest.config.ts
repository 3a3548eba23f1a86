import { defineConfig } from 'vitest/config';

// Timeouts catch a hung test; they are not speed checks (those live in `npm run bench:*`).
// They are sized for a 2-core machine busy with other work, where a test that takes 20 s
// alone can take ten times that (pki.test.ts's first play: 19 s idle, 467 s at load 30): a
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
