// OS errors in plain words, always naming the path: "no such file", not "ENOENT: …, open '…'".

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory, not a capture file',
  EACCES: 'permission denied (the file is not readable by this user)',
  EPERM: 'operation not permitted (the file is not readable by this user)',
  ELOOP: 'too many symbolic links in the path',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files on this system',
  EIO: 'input/output error from the device',
  ENXIO: 'no such device',
  EBUSY: 'the device or file is busy',
  ETIMEDOUT: 'the storage timed out',
};

export function fileError(path: string, e: unknown, doing: string): Error {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  const err = new Error(`${path}: cannot ${doing}: ${reason}`, { cause: e });
  if (code) (err as NodeJS.ErrnoException).code = code;
  return err;
}
