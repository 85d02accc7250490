// Giving an engine its .proto schemas: gRPC and protobuf are registered again bound to a registry
// built from the files (the engine's tables then point at the new dissectors). Called once, after
// createEngine(), by whoever can read the files (electron/protos/load-protos.ts).
import type { Engine } from '../dissect/engine';
import { grpcDissector } from '../dissectors/grpc';
import { protobufDissector } from '../dissectors/protobuf';
import { buildRegistry, type ProtoFile, type ProtoRegistry } from './registry';

export function useProtos(engine: Engine, files: readonly ProtoFile[]): ProtoRegistry {
  const registry = buildRegistry(files);
  engine.register(protobufDissector(registry));
  engine.register(grpcDissector(registry));
  return registry;
}
