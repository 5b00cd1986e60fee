-- Each session stores the account's version at login; raising the version
-- ends every session of the account opened before, without reading the
-- session store's JSON.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
