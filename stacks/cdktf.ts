// The one module that imports the CDK for Terraform runtime. cdktf is archived
// upstream and `cdktn` is its maintained fork with the same API: switching is a
// change to the import below and nowhere else (see docs/adr/0002-cdktf-isolation-json-only.md).
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
} from 'cdktf';
export type {
  IResolvable,
  IResolveContext,
  TerraformMetaArguments,
  TerraformProviderGeneratorMetadata,
  TerraformRemoteState,
} from 'cdktf';
