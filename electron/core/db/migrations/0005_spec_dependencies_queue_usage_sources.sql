CREATE TABLE `import_cursors` (
	`path` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`mtime_ms` integer NOT NULL,
	`offset` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `spec_dependencies` (
	`spec_id` text NOT NULL,
	`depends_on` text NOT NULL,
	PRIMARY KEY(`spec_id`, `depends_on`),
	FOREIGN KEY (`spec_id`) REFERENCES `specs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`depends_on`) REFERENCES `specs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `spec_dependencies_on_idx` ON `spec_dependencies` (`depends_on`);--> statement-breakpoint
CREATE TABLE `usage_reports` (
	`agent` text NOT NULL,
	`window` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`utilization` real NOT NULL,
	`resets_at` integer,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`agent`, `window`)
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `quota_strikes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `queue` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `usage_sources` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `usage` ADD `external_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `usage_external_idx` ON `usage` (`source`,`external_id`);