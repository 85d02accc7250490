// The protobuf schema registry: .proto texts parsed with protobufjs (its parser needs no Node
// built-ins; shared/ reads no files, so callers hand over `{ name, text }`) and flattened into
// plain lookup tables the decoder uses: message types by full name, enums, and gRPC methods by
// their HTTP/2 `:path` (`/user.UserService/GetUser`).
//
// A file that does not parse, or a type that cannot be resolved (a missing import), is reported
// in `errors` and left out; everything else still works.
import {
  common,
  Enum,
  MapField,
  parse,
  Root,
  Service,
  Type,
  type Field,
  type NamespaceBase,
  type ReflectionObject,
} from 'protobufjs';

export interface ProtoFile {
  /** File name as an import would name it (`user.proto`, `google/type/date.proto`). */
  name: string;
  text: string;
}

/** FieldDescriptorProto.Type numbers, which Wireshark shows as protobuf.field.type. */
export const FIELD_TYPES: Readonly<Record<string, number>> = {
  double: 1,
  float: 2,
  int64: 3,
  uint64: 4,
  int32: 5,
  fixed64: 6,
  fixed32: 7,
  bool: 8,
  string: 9,
  group: 10,
  message: 11,
  bytes: 12,
  uint32: 13,
  enum: 14,
  sfixed32: 15,
  sfixed64: 16,
  sint32: 17,
  sint64: 18,
};

export const FIELD_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(FIELD_TYPES).map(([k, v]) => [v, k]),
);

export interface FieldSchema {
  name: string;
  number: number;
  /** A scalar type name (`int64`, `string`…), `message` or `enum`. */
  type: string;
  /** Full name of the message or enum type (no leading dot). */
  typeName?: string;
  repeated: boolean;
  /** Map fields: the synthetic entry message (key = 1, value = 2). */
  map?: MessageSchema;
  oneof?: string;
}

export interface MessageSchema {
  fullName: string;
  fields: ReadonlyMap<number, FieldSchema>;
  /** Set for the synthetic entry message of a map field. */
  mapEntry?: boolean;
}

export interface EnumSchema {
  fullName: string;
  values: ReadonlyMap<number, string>;
}

export interface MethodSchema {
  /** `user.UserService` */
  service: string;
  method: string;
  /** `/user.UserService/GetUser`, as gRPC puts it in `:path`. */
  path: string;
  requestType: string;
  responseType: string;
  requestStream: boolean;
  responseStream: boolean;
}

export interface ProtoError {
  file: string;
  message: string;
}

export interface ProtoRegistry {
  message(fullName: string): MessageSchema | undefined;
  enumType(fullName: string): EnumSchema | undefined;
  method(path: string): MethodSchema | undefined;
  readonly messages: ReadonlyMap<string, MessageSchema>;
  readonly methods: ReadonlyMap<string, MethodSchema>;
  readonly files: readonly string[];
  readonly errors: readonly ProtoError[];
}

const PARSE_OPTIONS = { keepCase: true, alternateCommentMode: true };

/** Parses every file into one namespace (so imports between them resolve) and indexes it. */
export function buildRegistry(files: readonly ProtoFile[]): ProtoRegistry {
  const errors: ProtoError[] = [];
  const root = new Root();
  const parsed: string[] = [];
  const imports = new Set<string>();
  for (const f of files) {
    // Parsed on its own first, so a file with a syntax error adds nothing half-read to the root.
    try {
      parse(f.text, new Root(), PARSE_OPTIONS);
    } catch (e) {
      errors.push({ file: f.name, message: errorText(e) });
      continue;
    }
    try {
      const r = parse(f.text, root, PARSE_OPTIONS);
      for (const i of [...(r.imports ?? []), ...(r.weakImports ?? [])]) imports.add(i);
      parsed.push(f.name);
    } catch (e) {
      // Parses alone but clashes with another file (a type defined twice).
      errors.push({ file: f.name, message: errorText(e) });
    }
  }

  // The well-known types (google/protobuf/timestamp.proto…) protobufjs carries pre-parsed, for
  // imports no given file provides.
  const given = new Set(files.map((f) => f.name));
  for (const i of imports) {
    if (given.has(i) || [...given].some((g) => g.endsWith(`/${i}`))) continue;
    const json = common.get(i) as { nested?: Record<string, unknown> } | null;
    if (!json?.nested) continue;
    try {
      root.addJSON(json.nested as Parameters<Root['addJSON']>[0]);
    } catch {
      // Already defined by one of the given files.
    }
  }

  const messages = new Map<string, MessageSchema>();
  const enums = new Map<string, EnumSchema>();
  const methods = new Map<string, MethodSchema>();
  const walk = (ns: NamespaceBase): void => {
    for (const obj of ns.nestedArray as ReflectionObject[]) {
      if (obj instanceof Type) addType(obj, messages, errors);
      else if (obj instanceof Enum) addEnum(obj, enums);
      else if (obj instanceof Service) addService(obj, methods, errors);
      if ('nestedArray' in obj && (obj as NamespaceBase).nestedArray) walk(obj as NamespaceBase);
    }
  };
  walk(root);
  return {
    message: (n) => messages.get(stripDot(n)),
    enumType: (n) => enums.get(stripDot(n)),
    method: (path) => methods.get(path),
    messages,
    methods,
    files: parsed,
    errors,
  };
}

/** The registry with nothing in it: every message is decoded from the wire format alone. */
export const EMPTY_REGISTRY: ProtoRegistry = buildRegistry([]);

function stripDot(n: string): string {
  return n.startsWith('.') ? n.slice(1) : n;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function fileOf(obj: ReflectionObject): string {
  return obj.filename ?? obj.fullName;
}

function addType(t: Type, messages: Map<string, MessageSchema>, errors: ProtoError[]): void {
  const fullName = stripDot(t.fullName);
  const fields = new Map<number, FieldSchema>();
  for (const f of t.fieldsArray) {
    const fs = fieldSchema(f, fullName, errors);
    if (fs) fields.set(fs.number, fs);
  }
  messages.set(fullName, { fullName, fields });
}

function fieldSchema(f: Field, owner: string, errors: ProtoError[]): FieldSchema | null {
  const oneof = f.partOf?.name;
  if (f instanceof MapField) {
    // Wireshark names the synthetic entry `<Owner>.<field>MapEntry`.
    const entryName = `${owner}.${f.name}MapEntry`;
    const key = scalarOrResolved(
      { name: 'key', number: 1, type: f.keyType, repeated: false },
      f,
      null,
      errors,
    );
    const value = scalarOrResolved({ name: 'value', number: 2, type: f.type, repeated: false }, f, f, errors);
    if (!key || !value) return null;
    const entry: MessageSchema = {
      fullName: entryName,
      fields: new Map([
        [1, key],
        [2, value],
      ]),
      mapEntry: true,
    };
    return { name: f.name, number: f.id, type: 'message', typeName: entryName, repeated: true, map: entry };
  }
  const s = scalarOrResolved(
    { name: f.name, number: f.id, type: f.type, repeated: f.repeated },
    f,
    f,
    errors,
  );
  if (s && oneof) s.oneof = oneof;
  return s;
}

/** A field's type: a scalar by name, else the message or enum it resolves to. */
function scalarOrResolved(
  base: { name: string; number: number; type: string; repeated: boolean },
  owner: Field,
  resolveFrom: Field | null,
  errors: ProtoError[],
): FieldSchema | null {
  if (
    FIELD_TYPES[base.type] !== undefined &&
    base.type !== 'message' &&
    base.type !== 'enum' &&
    base.type !== 'group'
  )
    return { ...base };
  if (!resolveFrom) return { ...base };
  try {
    resolveFrom.resolve();
  } catch (e) {
    errors.push({ file: fileOf(owner), message: `${stripDot(owner.fullName)}: ${errorText(e)}` });
    return null;
  }
  const rt = resolveFrom.resolvedType;
  if (rt instanceof Type) return { ...base, type: 'message', typeName: stripDot(rt.fullName) };
  if (rt instanceof Enum) return { ...base, type: 'enum', typeName: stripDot(rt.fullName) };
  errors.push({ file: fileOf(owner), message: `${stripDot(owner.fullName)}: unknown type ${base.type}` });
  return null;
}

function addEnum(e: Enum, enums: Map<string, EnumSchema>): void {
  const values = new Map<number, string>();
  // Aliases (allow_alias) share a number: the first name declared is the one shown.
  for (const [name, n] of Object.entries(e.values)) if (!values.has(n)) values.set(n, name);
  enums.set(stripDot(e.fullName), { fullName: stripDot(e.fullName), values });
}

function addService(s: Service, methods: Map<string, MethodSchema>, errors: ProtoError[]): void {
  const service = stripDot(s.fullName);
  for (const m of s.methodsArray) {
    try {
      m.resolve();
    } catch (e) {
      errors.push({ file: fileOf(m), message: `${service}.${m.name}: ${errorText(e)}` });
      continue;
    }
    const req = m.resolvedRequestType;
    const res = m.resolvedResponseType;
    if (!req || !res) continue;
    const path = `/${service}/${m.name}`;
    methods.set(path, {
      service,
      method: m.name,
      path,
      requestType: stripDot(req.fullName),
      responseType: stripDot(res.fullName),
      requestStream: !!m.requestStream,
      responseStream: !!m.responseStream,
    });
  }
}
