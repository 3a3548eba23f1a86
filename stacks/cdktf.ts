// The one module that imports the CDK for Terraform runtime: `cdktn`, the maintained
// fork of the archived `cdktf`, with the same API. Everything else imports from here,
// so a change of runtime touches this file only (docs/adr/0002-cdktf-isolation-json-only.md,
// docs/adr/0006-cdktn-and-node20-dependency-line.md).
export {
  App,
  Fn,
  Lazy,
  LocalBackend,
  TerraformBackend,
  TerraformElement,
  TerraformHclModule,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from 'cdktn';
export type {
  IResolvable,
  IResolveContext,
  TerraformMetaArguments,
  TerraformProviderGeneratorMetadata,
  TerraformRemoteState,
} from 'cdktn';
