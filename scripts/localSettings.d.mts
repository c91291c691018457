export declare const localAppSettings: Record<string, string>;
export declare const localAppRoleAssignments: Array<{ role: string }>;
