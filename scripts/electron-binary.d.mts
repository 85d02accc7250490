// Types for scripts/electron-binary.mjs, so TypeScript tests can import it without allowJs.
export declare function findElectronBinary(): { path: string } | { missing: string };
export declare function electronVersion(): string;
export declare function rootNeedsNoSandbox(): boolean;
