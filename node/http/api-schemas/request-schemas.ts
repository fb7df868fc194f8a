/**
 * The schemas the routes validate request input with, by name, and `parseInput`: what node/http/request-input.ts
 * imports at the first request that needs one (with zod and every schema module).
 */
import { parseInput } from './common.ts';
import {
  IssueRequest,
  StatusRequest,
  VerifyBatchRequest,
  VerifyCredentialRequest,
  VerifyOptions,
  VerifyPresentationRequest,
} from './credentials.ts';
import { AddOidfAnchorRequest, AnchorEntityQuery, FetchQuery } from './documents.ts';
import {
  ActionsQuery,
  AnchorRequest,
  ApprovalRequest,
  CreateNetworkRequest,
  MemberQuery,
  NetworkParam,
  NetworkRequest,
  ProposalsQuery,
  ProposeRequest,
  PublicationRequest,
  PublicationsQuery,
} from './registry.ts';
import { MatchRequest, SearchQuery } from './skills.ts';
import { TrqpQuery } from './trqp.ts';
import { ExchangeRequest, OfferRequest, PresentationRequestBody } from './wallet.ts';

export { parseInput };

export const requestSchemas = {
  IssueRequest,
  StatusRequest,
  VerifyBatchRequest,
  VerifyCredentialRequest,
  VerifyOptions,
  VerifyPresentationRequest,
  AddOidfAnchorRequest,
  AnchorEntityQuery,
  FetchQuery,
  ActionsQuery,
  AnchorRequest,
  ApprovalRequest,
  CreateNetworkRequest,
  MemberQuery,
  NetworkParam,
  NetworkRequest,
  ProposalsQuery,
  ProposeRequest,
  PublicationRequest,
  PublicationsQuery,
  MatchRequest,
  SearchQuery,
  TrqpQuery,
  ExchangeRequest,
  OfferRequest,
  PresentationRequestBody,
};
