import { describe, expect, it } from "vitest";
import { isLoopbackAddress } from "../../src/features/dev-mailbox/loopback-only.js";

describe("isLoopbackAddress (who may open /dev/mails)", () => {
  it.each(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])("%s is the machine itself", (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });
  it.each(["10.0.0.5", "192.168.1.10", "::ffff:192.168.1.10", "2001:db8::1", "128.0.0.1", "", undefined])("%s is not", (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});
