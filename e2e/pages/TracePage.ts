import { expect, type Locator, type Page } from '@playwright/test';
import type { CliOutcome } from '../cli';

/** The trace screen, reached through its designed hooks: the accessible outcome list and data-graph-ready. */
export class TracePage {
  constructor(readonly page: Page) {}

  /** The node's own lane in its own card (a card holds a lane per node on the path). */
  lane(node: string): Locator {
    return this.page.locator(`[data-trace-node="${node}"] [data-lane-graph="${node}"]`);
  }

  graph(node: string): Locator {
    // A card has one graph per node on the path (lanes); the node's own lane is its graph.
    return this.page.locator(`[data-trace-node="${node}"] [data-lane-graph="${node}"] [data-testid="trace-graph"]`);
  }

  async waitForGraph(node: string): Promise<void> {
    await expect(this.graph(node)).toHaveAttribute('data-graph-ready', 'true');
  }

  /** Outcomes as the page states them for screen readers. */
  async outcomes(node: string): Promise<CliOutcome[]> {
    const items = this.lane(node)
      .getByRole('list', { name: `trace outcomes on ${node}` })
      .locator(':scope > li');
    const n = await items.count();
    const out: CliOutcome[] = [];
    for (let i = 0; i < n; i++) {
      const li = items.nth(i);
      out.push({
        verdict: (await li.getAttribute('data-verdict'))!,
        to: (await li.getAttribute('data-to')) || null,
        probability: Number(await li.getAttribute('data-probability')),
        masquerade: (await li.getAttribute('data-masquerade')) === 'true',
      });
    }
    return out;
  }

  async summaries(node: string): Promise<string[]> {
    return this.lane(node)
      .getByRole('list', { name: `trace outcomes on ${node}` })
      .locator(':scope > li .outcome-summary')
      .allInnerTexts();
  }
}
