ALTER TABLE `agents` ADD `max_concurrent` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `enabled` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `plan` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `quotas` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `paused_until` integer;--> statement-breakpoint
ALTER TABLE `agents` ADD `pause_reason` text;