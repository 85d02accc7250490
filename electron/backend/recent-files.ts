// The desktop's recent-files list, kept as JSON in the user's profile folder. The file is read
// defensively (a hand-edited or half-written file yields an empty list, never a crash), and
// written whole to a temporary name, then renamed, so a crash mid-write cannot corrupt it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isRecentList, type RecentFile } from '../../shared/contract/api';

export const MAX_RECENT = 10;

export class RecentFiles {
  private entries: RecentFile[];

  constructor(
    /** The JSON file; null keeps the list in memory only (tests, serve mode). */
    private readonly file: string | null,
    private readonly now: () => number = Date.now,
    /** Called after every change (the desktop rebuilds its Open Recent menu). */
    private readonly onChange: (added: string | null) => void = () => undefined,
  ) {
    this.entries = file ? load(file) : [];
  }

  list(): RecentFile[] {
    return this.entries.map((e) => ({ ...e }));
  }

  has(path: string): boolean {
    return this.entries.some((e) => e.path === path);
  }

  /** Moves `path` to the top (most recent first). */
  add(path: string): void {
    this.entries = [
      { path, name: basename(path), openedAt: this.now() },
      ...this.entries.filter((e) => e.path !== path),
    ].slice(0, MAX_RECENT);
    this.save();
    this.onChange(path);
  }

  remove(path: string): void {
    this.entries = this.entries.filter((e) => e.path !== path);
    this.save();
    this.onChange(null);
  }

  clear(): void {
    this.entries = [];
    this.save();
    this.onChange(null);
  }

  private save(): void {
    if (!this.file) return;
    try {
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.entries, null, 1));
      renameSync(tmp, this.file);
    } catch {
      // A read-only profile loses the list at exit; opening files must still work.
    }
  }
}

function load(file: string): RecentFile[] {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isRecentList(data) ? data.slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}
