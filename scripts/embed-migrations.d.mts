export function readMigrationFolder(dir?: string): { tag: string; sql: string }[]
