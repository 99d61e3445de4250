CREATE TABLE `agents` (
	`name` text PRIMARY KEY NOT NULL,
	`runner` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ts` integer NOT NULL,
	`type` text NOT NULL,
	`subject` text NOT NULL,
	`actor` text NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_subject_idx` ON `events` (`subject`,`seq`);--> statement-breakpoint
CREATE TABLE `reactor_cursors` (
	`reactor` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `specs` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`stage` text NOT NULL,
	`status` text NOT NULL,
	`agent` text,
	`blueprint` text,
	`source` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`agent`) REFERENCES `agents`(`name`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `specs_board_idx` ON `specs` (`stage`,`agent`,`priority`,`created_at`);