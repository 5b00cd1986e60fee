/** Keyboard-only driving: Tab to an element, then type, Space or Enter, as a person without a mouse would. */
import type { Page } from "playwright-core";

/** Presses Tab until the focused element matches the CSS selector (at most 80 times). */
export async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((css) => document.activeElement?.matches(css) ?? false, selector)) return;
  }
  throw new Error(`Impossible d'atteindre ${selector} au clavier`);
}

export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

/** Chooses a radio: Tab reaches the group, arrows move within it. */
export async function chooseRadio(page: Page, name: string, value: string): Promise<void> {
  await tabTo(page, `input[type=radio][name="${name}"]`);
  for (let moves = 0; moves < 10; moves++) {
    if (await page.evaluate((wanted) => (document.activeElement as HTMLInputElement).value === wanted, value)) break;
    await page.keyboard.press("ArrowDown");
  }
  await page.keyboard.press("Space");
}

/** Presses Enter and waits for the page it leads to. */
export async function enterAndWait(page: Page): Promise<void> {
  const navigation = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  await page.keyboard.press("Enter");
  await navigation;
  await page.waitForLoadState("load");
}

export async function pressButton(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await enterAndWait(page);
}
