ALTER TABLE `runs` ADD `dispatcher_pid` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `dispatcher_identity` text;