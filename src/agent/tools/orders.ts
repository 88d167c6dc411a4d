import { tool } from 'ai';
import { z } from 'zod';
import { getOrder, listOrders } from '../../support/orders.ts';
import { type ToolContext, toolError, toolInput } from './tool-context.ts';

type CustomerContext = ToolContext & { identity: { kind: 'customer'; customerId: string } };

const listInput = toolInput(z.object({ limit: z.number().int().min(1).max(20).optional() }));
const orderInput = toolInput(
  z.object({ orderId: z.string().min(1).max(64).describe('The order number, e.g. KE-100234') }),
);

/** The signed-in customer's recent orders. */
export function listOrdersTool(ctx: CustomerContext) {
  return tool({
    description: "The signed-in customer's recent orders, newest first, with status, items and tracking.",
    inputSchema: listInput,
    execute: async ({ limit }) => {
      const orders = await listOrders(ctx.db, ctx.identity.customerId, limit ?? 5);
      ctx.ledger.dataLookups++;
      return { orders: orders.map(publicOrder) };
    },
  });
}

/** One of the signed-in customer's orders by number; other customers' orders do not exist here. */
export function orderStatusTool(ctx: CustomerContext) {
  return tool({
    description: "Status, items, tracking and delivery details of one of the signed-in customer's orders.",
    inputSchema: orderInput,
    execute: async ({ orderId }) => {
      const order = await getOrder(ctx.db, ctx.identity.customerId, orderId);
      if (!order) return toolError(`There is no order ${orderId} on this customer's account.`);
      ctx.ledger.dataLookups++;
      return { order: publicOrder(order) };
    },
  });
}

/** What the model may see of an order: no payment details. */
function publicOrder(order: Awaited<ReturnType<typeof listOrders>>[number]) {
  const d = order.details;
  return {
    id: order.id,
    status: order.status,
    placedAt: order.placedAt,
    items: order.items,
    total: order.total,
    tracking: order.tracking,
    carrier: d.carrier ?? null,
    shippedAt: d.shippedAt ?? null,
    deliveredAt: d.deliveredAt ?? null,
    estimatedDelivery: d.estimatedDelivery ?? null,
  };
}
