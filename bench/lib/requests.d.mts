import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export function githubDelivery(template: Record<string, unknown>, options: { secret: string; number: number; deliveryId?: string }): { body: string; headers: Record<string, string> };
export function githubEvent(template: Record<string, unknown>, options: { secret: string; number: number; deliveryId?: string }): APIGatewayProxyEventV2;
export function slackClickEvent(template: Record<string, unknown>, options: { secret: string; number: number; kustomization?: string; cluster?: string; messageTs?: string }): APIGatewayProxyEventV2;
export function requestFor(spec: { kind: 'github' | 'slack'; secret: string; template: Record<string, unknown> }, number: number): APIGatewayProxyEventV2;
export const lambdaContext: Context;
export function noticeTs(number: number): string;
