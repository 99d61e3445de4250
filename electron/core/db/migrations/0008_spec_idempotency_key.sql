ALTER TABLE `specs` ADD `key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `specs_key_idx` ON `specs` (`key`);