import { ApiProperty } from '@nestjs/swagger';

export class ConfirmedDto {
  @ApiProperty({ enum: [true] })
  confirmed!: true;
}

export class UnsubscribedDto {
  @ApiProperty({ enum: [true] })
  unsubscribed!: true;
}
