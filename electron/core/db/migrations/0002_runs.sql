CREATE TABLE `artifacts` (
	`run_id` text PRIMARY KEY NOT NULL,
	`spec_id` text NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`url` text NOT NULL,
	`changelog` text NOT NULL,
	`screenshots` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`spec_id` text NOT NULL,
	`agent` text NOT NULL,
	`runner` text NOT NULL,
	`state` text NOT NULL,
	`failure_class` text,
	`failure_message` text,
	`reset_at` integer,
	`exit_code` integer,
	`signal` text,
	`argv` text NOT NULL,
	`cwd` text NOT NULL,
	`workspace_kind` text NOT NULL,
	`repo` text,
	`worktree` text,
	`branch` text,
	`base_ref` text,
	`base_commit` text,
	`run_dir` text NOT NULL,
	`follow_up_of` text,
	`setup` text,
	`timeout_ms` integer,
	`stage` text,
	`stage_status` text,
	`supervisor_pid` integer,
	`child_pid` integer,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cache_read_tokens` integer DEFAULT 0 NOT NULL,
	`cache_write_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`log_tail` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`spec_id`) REFERENCES `specs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `runs_spec_idx` ON `runs` (`spec_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_state_idx` ON `runs` (`state`);--> statement-breakpoint
CREATE TABLE `usage` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text,
	`agent` text NOT NULL,
	`ts` integer NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cache_read_tokens` integer DEFAULT 0 NOT NULL,
	`cache_write_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`source` text DEFAULT 'run' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_agent_ts_idx` ON `usage` (`agent`,`ts`);--> statement-breakpoint
ALTER TABLE `agents` ADD `command` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `workspace` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `bin` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `timeout_ms` integer;--> statement-breakpoint
ALTER TABLE `agents` ADD `setup` text;--> statement-breakpoint
ALTER TABLE `specs` ADD `run_id` text;--> statement-breakpoint
ALTER TABLE `specs` ADD `branch` text;