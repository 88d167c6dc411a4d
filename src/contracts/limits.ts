// Limits and formats shared by the server, the agent and the web app; each is defined here only.

/** The longest customer message the agent accepts, in characters. */
export const maxMessageLength = 8000;

/** The longest free-text reason (hand-off, feedback), in characters. */
export const maxReasonLength = 500;

/** Visitor ids: issued by the server or the browser, `vis_` and 16-40 URL-safe characters. */
export const visitorIdPattern = /^vis_[A-Za-z0-9_-]{16,40}$/;

/** Tool names, as the model sees them. */
export const toolNames = {
  searchKnowledge: 'search_knowledge',
  lookupProduct: 'lookup_product',
  suggestSolutions: 'suggest_solutions',
  escalate: 'escalate_to_human',
  customerProfile: 'get_customer_profile',
  listOrders: 'list_orders',
  orderStatus: 'get_order_status',
  ownedProducts: 'list_owned_products',
  rememberPreference: 'remember_preference',
  readPreferences: 'get_preferences',
} as const;
export type ToolName = (typeof toolNames)[keyof typeof toolNames];
