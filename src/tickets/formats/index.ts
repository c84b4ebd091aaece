import { aitrackdown } from './aitrackdown.js';
import { native } from './native.js';
import { taskmaster } from './taskmaster.js';
import { ticketdata } from './ticketdata.js';
import { ticketmanager } from './ticketmanager.js';
import type { FormatName, TicketFormat } from './types.js';

export const FORMATS: Readonly<Record<FormatName, TicketFormat>> = {
  native,
  ticketdata,
  ticketmanager,
  aitrackdown,
  taskmaster,
};

export { FORMAT_NAMES, type FormatName, type TicketFormat } from './types.js';
