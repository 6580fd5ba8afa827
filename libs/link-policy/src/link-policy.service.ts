import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type AuthenticatedUser, isDuplicateKeyError } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { GroupsService } from '@strongroom/groups';
import type {
  CreateLinkPolicyRequest,
  LinkPolicyLimits,
  UpdateLinkPolicyRequest,
} from './dto/link-policy.dto';
import { type EffectiveLinkPolicy, type RuleValues, strictestOf } from './effective-link-policy';
import {
  groupSubject,
  LinkPolicyRule,
  type LinkPolicyRuleDocument,
  roleSubject,
} from './link-policy-rule.schema';

const NOT_FOUND = 'Link policy not found';

/**
 * Link and share rules per role and per group, set by admins. The one place that says what a
 * person's links and shares may be: the strictest of the LINK_* defaults, the rule of their role
 * and the rules of every group they are in.
 */
@Injectable()
export class LinkPolicyService {
  constructor(
    @InjectModel(LinkPolicyRule.name) private readonly rules: Model<LinkPolicyRule>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly groups: GroupsService,
  ) {}

  async effectiveFor(user: AuthenticatedUser): Promise<EffectiveLinkPolicy> {
    const groupIds = await this.groups.groupIdsOf(user.id);
    const rules = await this.rules
      .find({
        subjectKey: {
          $in: [roleSubject(user.role), ...groupIds.map((id) => groupSubject(id.toHexString()))],
        },
      })
      .sort({ subjectKey: 1 })
      .exec();
    const names = await this.groups.namesOf(groupIds);
    const { defaultTtlMs, maxTtlMs, requirePassword } = this.config.links;
    return strictestOf(
      {
        source: 'the server’s LINK_* settings',
        defaultTtlMs,
        maxTtlMs,
        requirePassword,
        maxDownloads: null,
        publicLinks: null,
        verifyRecipients: null,
        allowedRecipientDomains: null,
      },
      rules.map((rule) => this.valuesOf(rule, names)),
    );
  }

  list(): Promise<LinkPolicyRuleDocument[]> {
    return this.rules.find().sort({ subjectKey: 1 }).exec();
  }

  async get(id: string): Promise<LinkPolicyRuleDocument> {
    const rule = isValidObjectId(id) ? await this.rules.findById(id).exec() : null;
    if (!rule) throw new NotFoundException(NOT_FOUND);
    return rule;
  }

  async create(request: CreateLinkPolicyRequest): Promise<LinkPolicyRuleDocument> {
    if ((request.role === undefined) === (request.groupId === undefined)) {
      throw new BadRequestException('Give either role or groupId, the one the rule applies to');
    }
    if (request.groupId !== undefined && !(await this.groups.exists(request.groupId))) {
      throw new UnprocessableEntityException('No group has this id');
    }
    this.checkLimits(request);
    try {
      return await this.rules.create({
        subjectKey: request.role ? roleSubject(request.role) : groupSubject(request.groupId!),
        role: request.role,
        groupId: request.groupId ? new Types.ObjectId(request.groupId) : undefined,
        ...this.limitsOf(request),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new ConflictException(
          'There is a rule for this role or group already; change that one (PATCH)',
        );
      }
      throw error;
    }
  }

  async update(id: string, request: UpdateLinkPolicyRequest): Promise<LinkPolicyRuleDocument> {
    this.checkLimits(request);
    const rule = isValidObjectId(id)
      ? await this.rules
          .findByIdAndUpdate(
            id,
            { $set: { ...this.limitsOf(request), updatedAt: new Date() } },
            { new: true },
          )
          .exec()
      : null;
    if (!rule) throw new NotFoundException(NOT_FOUND);
    return rule;
  }

  async delete(id: string): Promise<LinkPolicyRuleDocument> {
    const rule = isValidObjectId(id) ? await this.rules.findByIdAndDelete(id).exec() : null;
    if (!rule) throw new NotFoundException(NOT_FOUND);
    return rule;
  }

  /** Erasure step for a deleted group. */
  async deleteForGroup(groupId: string): Promise<void> {
    await this.rules.deleteMany({ subjectKey: groupSubject(groupId) }).exec();
  }

  private checkLimits(request: LinkPolicyLimits): void {
    const maxSeconds = Math.floor(this.config.links.maxTtlMs / 1000);
    if (request.maxTtlSeconds != null && request.maxTtlSeconds > maxSeconds) {
      throw new BadRequestException(
        `maxTtlSeconds may be at most ${maxSeconds} (LINK_MAX_TTL); rules only tighten the server's limits`,
      );
    }
  }

  /** Only the limits the request names: a PATCH leaves the others as they are. */
  private limitsOf(request: LinkPolicyLimits): Partial<LinkPolicyRule> {
    const fields = [
      'maxTtlSeconds',
      'requirePassword',
      'maxDownloads',
      'publicLinks',
      'verifyRecipients',
      'allowedRecipientDomains',
    ] as const;
    return Object.fromEntries(
      fields
        .filter((field) => request[field] !== undefined)
        .map((field) => [field, request[field]]),
    );
  }

  private valuesOf(rule: LinkPolicyRuleDocument, groupNames: Map<string, string>): RuleValues {
    const source = rule.role
      ? `the link policy for the role '${rule.role}'`
      : `the link policy of the group '${groupNames.get(rule.groupId!.toHexString()) ?? ''}'`;
    return {
      source,
      maxTtlMs: rule.maxTtlSeconds === null ? null : rule.maxTtlSeconds * 1000,
      requirePassword: rule.requirePassword,
      maxDownloads: rule.maxDownloads,
      publicLinks: rule.publicLinks,
      verifyRecipients: rule.verifyRecipients ?? null,
      allowedRecipientDomains: rule.allowedRecipientDomains,
    };
  }
}
