// Reads the fleet file (its schema is a contract: contracts/fleet-file.ts) from disk for the CLI.
import { readFile } from 'node:fs/promises';
import { parseFleetFile, type FleetFile } from '../contracts/fleet-file.js';

export async function loadFleetFile(path: string): Promise<FleetFile> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not JSON: ${(err as Error).message}`);
  }
  return parseFleetFile(json, path);
}
