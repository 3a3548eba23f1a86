// Schema helpers shared by every zod schema of the project (inventory, sizing, workloads),
// so the same rule gives the same message everywhere.
import { z } from 'zod';

export const positive = z.number({ error: 'a positive number' }).positive({ error: 'a positive number' });
