import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { mailFromAddress, type AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The site's sender name (MAIL_FROM's address stays). */
  senderName?: string | null;
  headers?: Record<string, string>;
}

/** A send that failed, described without the recipient (the message goes to Redis and logs). */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
}

/**
 * nodemailer over SMTP_URL. The only place an address leaves PostgreSQL: decrypted by the
 * caller just before `send`, it goes into the SMTP conversation and nowhere else. Errors are
 * rewritten so that no recipient (SMTP servers quote it in their answers) reaches a job's
 * failure reason or a log line.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly transporter: Transporter | null;
  private readonly fromAddress: string;
  private readonly domain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transporter = config.mail.smtpUrl
      ? createTransport(config.mail.smtpUrl, { disableFileAccess: true, disableUrlAccess: true })
      : null;
    this.fromAddress = mailFromAddress(config.mail.from);
    this.domain = this.fromAddress.split('@')[1] ?? 'localhost';
  }

  get enabled(): boolean {
    return this.transporter !== null;
  }

  /** Sends one message; returns its Message-ID. */
  async send(mail: OutgoingMail): Promise<string> {
    if (!this.transporter) throw new MailSendError('SMTP_URL is not set');
    const messageId = `<${randomUUID()}@${this.domain}>`;
    const from = mail.senderName
      ? { name: mail.senderName, address: this.fromAddress }
      : this.config.mail.from;
    try {
      await this.transporter.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
        // Bounces go to the Return-Path (the envelope sender), never to a reader.
        envelope: { from: this.config.mail.returnPath ?? this.fromAddress, to: mail.to },
      });
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; command?: string };
      throw new MailSendError(
        `SMTP send failed: ${[e.code, e.responseCode, e.command].filter(Boolean).join(' ') || 'error'}`,
      );
    }
    return messageId;
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}
