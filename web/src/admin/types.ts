// Response shapes of the admin API (src/server/routes/admin/*.ts), as the console reads them.

export interface Staff {
  name: string;
}

export interface DocumentRow {
  id: string;
  source: string;
  title: string;
  format: string;
  kind: string | null;
  product: string | null;
  status: string;
  currentVersion: number | null;
  versions: number;
  chunks: number;
  updatedAt: string;
}

export interface DocumentVersion {
  id: string;
  version: number;
  contentHash: string;
  title: string;
  chunkCount: number;
  embeddingModel: string;
  createdAt: string;
  indexedAt: string | null;
  current: boolean;
}

export interface VersionsResponse {
  document: Pick<DocumentRow, 'id' | 'source' | 'title' | 'status'>;
  versions: DocumentVersion[];
}

export interface IngestResult {
  source: string;
  status: string;
  documentId?: string;
  version?: number;
  chunks?: number;
  error?: { code: string; message: string };
}

export interface SearchHit {
  source: string;
  documentId: string;
  versionId: string;
  chunkId: string;
  title: string;
  heading: string;
  score: number;
  text: string;
}

export interface SearchResponse {
  hits: SearchHit[];
  ms: number;
}

export interface ReindexResponse {
  chunks: number;
  from: string | null;
  to: string;
}

export type SolutionStatus = 'suggested' | 'approved' | 'rejected';

export interface Solution {
  id: string;
  problem: string;
  resolution: string;
  product: string | null;
  conversationId: string | null;
  status: string;
  timesUsed: number;
  timesResolved: number;
  reviewedBy: string | null;
  createdAt: string | null;
}

export type SolutionEdits = Partial<Pick<Solution, 'problem' | 'resolution' | 'product'>>;

export interface ConversationRow {
  id: string;
  title: string | null;
  status: string;
  channel: string;
  customerId: string | null;
  customer: string | null;
  customerName: string | null;
  visitorId: string | null;
  rating: number | null;
  escalationReason: string | null;
  messages: number;
  createdAt: string;
  updatedAt: string;
}

export interface Citation {
  source: string;
  url: string;
  title: string;
  documentId: string;
  versionId: string;
  chunkId: string;
}

/** One stored tool call of an assistant turn (messages.parts). */
export interface ToolCall {
  type?: string;
  name?: string;
  input?: unknown;
  output?: unknown;
}

export interface TranscriptMessage {
  id: string;
  role: string;
  content: string;
  citations: Citation[];
  createdAt: string;
  toolCalls: ToolCall[];
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  feedback: { rating: number; reason: string | null; createdAt: string | null }[];
}

export interface Transcript {
  conversation: {
    id: string;
    title: string | null;
    status: string;
    channel: string;
    customerId: string | null;
    visitorId: string | null;
    summary: string | null;
    rating: number | null;
    escalationReason: string | null;
    createdAt: string | null;
    updatedAt: string | null;
  };
  messages: TranscriptMessage[];
}

export interface ResolveResponse {
  status: 'resolved';
  solutionId: string | null;
}

export interface Customer {
  id: string;
  externalId: string;
  email: string | null;
  name: string | null;
  plan: string | null;
  createdAt: string | null;
}

export interface CustomerOrder {
  id: string;
  status: string;
  placedAt: string;
  tracking: string | null;
  total: number | null;
  items: { sku: string; name: string; quantity: number; unitPrice: number | null }[];
}

export interface OwnedProduct {
  sku: string;
  name: string;
  orderId: string | null;
  purchasedAt: string | null;
  serialNumber: string | null;
  warrantyEndsAt: string | null;
  underWarranty: boolean;
}

export interface CustomerConversation {
  id: string;
  title: string | null;
  summary: string | null;
  status: string;
  channel: string;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerDetail {
  customer: Customer;
  orders: CustomerOrder[];
  products: OwnedProduct[];
  preferences: Record<string, string>;
  conversations: CustomerConversation[];
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: number | null;
  specs: Record<string, unknown>;
  updatedAt: string | null;
}

export type ProductInput = Pick<Product, 'name' | 'description' | 'price' | 'specs'>;

export interface Analytics {
  days: number;
  conversationsPerDay: { day: string; conversations: number; escalated: number; resolved: number }[];
  totals: {
    conversations: number;
    resolved: number;
    escalated: number;
    resolutionRate: number;
    escalationRate: number;
    turns: number;
    abstained: number;
  };
  satisfaction: { up: number; down: number; rate: number | null };
  latency: { p50: number | null; p95: number | null; firstTokenP50: number | null };
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  topQuestions: { question: string; count: number }[];
  unanswered: { question: string; count: number; lastAsked: string }[];
}

export interface CompanyProfile {
  name: string;
  tagline?: string;
  tone?: string;
  supportHours?: string;
  supportEmail?: string;
  humanHandoff?: string;
  /** Fields the console does not edit (the seeded profile has links, regions, website, supportPhone). */
  [other: string]: unknown;
}

export interface Settings {
  company: CompanyProfile;
  runtime: {
    model: string;
    offline: boolean;
    embedder: string;
    embeddingSpace: { model: string; dimensions: number } | null;
    database: string;
    version: string;
    widgetOrigins: string[];
    identityVerification: boolean;
  };
}

export interface StaffToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
